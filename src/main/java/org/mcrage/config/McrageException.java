package org.mcrage.config;

/**
 * A mistake the user can fix: bad configuration, a missing column, an unreadable table, a group too
 * small to learn from.
 *
 * <p>Every message says what is wrong, names the setting or column and the offending value, and
 * says what to do. Programming errors stay {@link IllegalArgumentException} or {@link
 * IllegalStateException}; the command line prints this one without a stack trace.
 */
public final class McrageException extends RuntimeException {

  /**
   * Creates an error from its three parts.
   *
   * @param problem what is wrong, naming the setting or column and the value
   * @param fix what the user should do about it
   */
  public McrageException(String problem, String fix) {
    super(problem + ". " + fix);
  }

  /**
   * Creates an error with its cause.
   *
   * @param problem what is wrong, naming the setting or column and the value
   * @param fix what the user should do about it
   * @param cause the underlying failure
   */
  public McrageException(String problem, String fix, Throwable cause) {
    super(problem + ". " + fix, cause);
  }
}
