package org.mcrage.cli;

import org.mcrage.config.Setting;
import org.mcrage.config.Settings;
import picocli.CommandLine.Command;

/** {@code mcrage settings}: lists every setting with its default and help. */
@Command(
    name = "settings",
    mixinStandardHelpOptions = true,
    description = "List every setting: key, default, legal values and help.")
final class SettingsCommand implements Runnable {
  @Override
  public void run() {
    for (Setting<?> setting : Settings.all().values()) {
      String value = setting.defaultValue() == null ? "(required)" : "= " + setting.defaultValue();
      System.out.printf(
          "%-28s %-12s %s; %s%n", setting.key(), value, setting.help(), setting.expectation());
    }
  }
}
