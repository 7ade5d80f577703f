import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Build check: every test class under src/test/java ran in this build. A class matching no Surefire/Failsafe
 * pattern is silently never executed (InboundRobustnessProperties was, for months); this check turns that into a
 * build failure. Run by the java source launcher (no dependencies, no plugin to download), from the pom:
 *
 * <pre>
 *   java TestsRanCheck.java mark  TARGET_DIR                 (before the tests: process-test-classes)
 *   java TestsRanCheck.java check TARGET_DIR TEST_SOURCES test=${test} it.test=${it.test} skipITs=${skipITs}
 *                                 skipTests=${skipTests} maven.test.skip=${maven.test.skip}   (verify, after failsafe)
 * </pre>
 *
 * A test class is a non-abstract class whose source has a method annotated {@code @Test}, {@code @Property},
 * {@code @Example}, {@code @ParameterizedTest}, {@code @RepeatedTest}, {@code @TestFactory} or
 * {@code @TestTemplate}. It ran if {@code target/surefire-reports} or {@code target/failsafe-reports} holds its
 * {@code TEST-<class>.xml} written after the mark (so a report left by an earlier build does not count). A run
 * narrowed with {@code -Dtest} or {@code -Dit.test}, or with tests skipped, is not checked; {@code -DskipITs}
 * exempts {@code *IT} classes. An unset Maven property arrives unexpanded ({@code ${test}}) and counts as unset.
 */
public final class TestsRanCheck {
  private static final Pattern TEST_METHOD = Pattern.compile(
      "@(?:org\\.junit\\.jupiter\\.api\\.|net\\.jqwik\\.api\\.)?"
          + "(Test|Property|Example|ParameterizedTest|RepeatedTest|TestFactory|TestTemplate)\\b");
  private static final Pattern ABSTRACT = Pattern.compile("\\babstract\\s+class\\b");
  private static final String MARKER = "tests-ran-check.mark";

  public static void main(String[] args) throws IOException {
    if (args.length >= 2 && args[0].equals("mark")) {
      Path target = Path.of(args[1]);
      Files.createDirectories(target);
      Path marker = target.resolve(MARKER);
      Files.writeString(marker, "tests of this build started after this file was written\n");
      Files.setLastModifiedTime(marker, FileTime.fromMillis(System.currentTimeMillis()));
      return;
    }
    if (args.length < 3 || !args[0].equals("check")) {
      System.err.println("usage: TestsRanCheck mark TARGET | check TARGET TEST_SOURCES [name=value ...]");
      System.exit(2);
    }
    Path target = Path.of(args[1]);
    Path sources = Path.of(args[2]);
    java.util.Map<String, String> props = new java.util.HashMap<>();
    for (int i = 3; i < args.length; i++) {
      int eq = args[i].indexOf('=');
      String value = eq < 0 ? "" : args[i].substring(eq + 1).trim();
      props.put(eq < 0 ? args[i] : args[i].substring(0, eq), value.startsWith("${") ? "" : value);
    }
    String test = props.getOrDefault("test", "");
    String itTest = props.getOrDefault("it.test", "");
    if (!test.isEmpty() || !itTest.isEmpty()) {
      System.out.println("[tests-ran] not checked: this run was narrowed (-Dtest=" + test + " -Dit.test=" + itTest + ")");
      return;
    }
    if (isTrue(props.get("skipTests")) || isTrue(props.get("maven.test.skip"))) {
      System.out.println("[tests-ran] not checked: tests were skipped");
      return;
    }
    boolean skipIts = isTrue(props.get("skipITs"));
    Path marker = target.resolve(MARKER);
    if (!Files.exists(marker)) {
      fail(List.of("no " + marker + ": the mark step did not run before the tests"));
    }
    FileTime since = Files.getLastModifiedTime(marker);
    List<String> classes = testClasses(sources);
    List<String> missing = new ArrayList<>();
    int checked = 0;
    for (String c : classes) {
      if (skipIts && c.endsWith("IT")) {
        continue;
      }
      checked++;
      if (!ranSince(target, c, since)) {
        missing.add(c);
      }
    }
    if (!missing.isEmpty()) {
      fail(missing.stream().map(c -> c + " has test methods but no Surefire/Failsafe report from this build "
          + "(does its name match an <include> of surefire (every class but *IT) or failsafe (*IT)?)").toList());
    }
    System.out.println("[tests-ran] all " + checked + " test classes under " + sources + " ran"
        + (checked < classes.size() ? " (" + (classes.size() - checked) + " *IT exempt: -DskipITs)" : ""));
  }

  /** {@code -DskipTests} alone sets the property to "true"; unset or "false" is false. */
  private static boolean isTrue(String v) {
    return v != null && !v.isEmpty() && !v.equalsIgnoreCase("false");
  }

  static List<String> testClasses(Path sources) throws IOException {
    List<String> out = new ArrayList<>();
    if (!Files.isDirectory(sources)) {
      return out;
    }
    try (Stream<Path> files = Files.walk(sources)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
        String text = Files.readString(f);
        if (TEST_METHOD.matcher(text).find() && !ABSTRACT.matcher(text).find()) {
          String rel = sources.relativize(f).toString();
          out.add(rel.substring(0, rel.length() - ".java".length()).replace(f.getFileSystem().getSeparator(), "."));
        }
      }
    }
    return out;
  }

  /** {@code TEST-<class>.xml}, or a report of one of its nested classes ({@code TEST-<class>$Inner.xml}). */
  private static boolean ranSince(Path target, String className, FileTime since) throws IOException {
    for (String dir : List.of("surefire-reports", "failsafe-reports")) {
      Path reports = target.resolve(dir);
      if (!Files.isDirectory(reports)) {
        continue;
      }
      try (Stream<Path> files = Files.list(reports)) {
        for (Path r : files.toList()) {
          String name = r.getFileName().toString();
          if ((name.equals("TEST-" + className + ".xml") || name.startsWith("TEST-" + className + "$"))
              && Files.getLastModifiedTime(r).compareTo(since) >= 0) {
            return true;
          }
        }
      }
    }
    return false;
  }

  private static void fail(List<String> problems) {
    System.err.println("[tests-ran] FAILED: " + problems.size() + " test class(es) never ran in this build:");
    problems.forEach(p -> System.err.println("  - " + p));
    System.exit(1);
  }
}
