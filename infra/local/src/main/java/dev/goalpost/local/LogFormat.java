package dev.goalpost.local;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** One short line per log record on the console ("12:00:01 INFO  HttpApiServer: GET /groups -> 200"). */
final class LogFormat extends Formatter {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

  static void install() {
    Logger root = Logger.getLogger("");
    for (Handler h : root.getHandlers()) {
      if (h instanceof ConsoleHandler) {
        h.setFormatter(new LogFormat());
      }
    }
  }

  @Override
  public String format(LogRecord r) {
    String name = r.getLoggerName() == null ? "" : r.getLoggerName().substring(r.getLoggerName().lastIndexOf('.') + 1);
    StringBuilder b = new StringBuilder()
        .append(LocalTime.now().format(TIME)).append(' ')
        .append(String.format("%-8s", r.getLevel().getName())).append(name).append(": ")
        .append(formatMessage(r)).append(System.lineSeparator());
    if (r.getThrown() != null) {
      StringWriter w = new StringWriter();
      r.getThrown().printStackTrace(new PrintWriter(w));
      b.append(w);
    }
    return b.toString();
  }
}
