package org.mcrage.config;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Keeps credentials out of logs and run records: settings whose key looks secret lose their value,
 * and paths lose a user-info part ({@code s3a://KEY:SECRET@bucket/...}) and secret-looking query
 * parameters (a pre-signed URL's signature, say).
 */
public final class Redaction {
  /** What a removed value is replaced with. */
  public static final String REDACTED = "<redacted>";

  private static final Pattern SECRET_KEY =
      Pattern.compile(
          "(?i).*(secret|password|passwd|token|credential|access[._-]?key|signature).*");
  private static final Pattern USER_INFO = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*://)[^/@]+@");
  private static final Pattern SECRET_QUERY =
      Pattern.compile(
          "(?i)([?&][^=&]*(secret|password|token|credential|signature|key)[^=&]*=)[^&]*");

  private Redaction() {}

  /** Returns whether a setting or property with this key holds a secret. */
  public static boolean isSecretKey(String key) {
    return SECRET_KEY.matcher(key).matches();
  }

  /**
   * Returns a path or URL with any credentials in it replaced.
   *
   * @param location a path, URL or table name
   * @return the same text without user info or secret query values
   */
  public static String location(String location) {
    if (location == null) {
      return null;
    }
    String withoutUser = USER_INFO.matcher(location).replaceFirst("$1" + REDACTED + "@");
    return SECRET_QUERY.matcher(withoutUser).replaceAll("$1" + REDACTED);
  }

  /**
   * Returns settings fit to record: secret-looking keys redacted, paths without credentials.
   *
   * @param settings raw values by key
   * @return a copy, in the same order
   */
  public static Map<String, String> settings(Map<String, String> settings) {
    Map<String, String> redacted = new LinkedHashMap<>();
    settings.forEach(
        (key, value) -> redacted.put(key, isSecretKey(key) ? REDACTED : location(value)));
    return redacted;
  }
}
