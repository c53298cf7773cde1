package org.mcrage.cli;
public class Main { public static void main(String[] a) {} }
