package io.rbdstack.dbupgrade.portability;

import io.rbdstack.dbupgrade.SqlStatement;
import io.rbdstack.dbupgrade.SqlStatementSplitter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Runs {@link SqlPortabilityRules} over all the SQL of the project: every {@code *.sql} under a
 * module's {@code src/main}, and every SQL-looking string literal of its {@code src/main} Java code.
 */
final class ProjectSqlScan {

    /** One rule broken at a line of a file (path relative to the repository root). */
    record Violation(String file, int line, String rule, String message, String excerpt) {
        @Override
        public String toString() {
            return file + ":" + line + ": [" + rule + "] " + message + " — " + excerpt;
        }
    }

    /** What was scanned and what was found; the counts show the scan did not silently see nothing. */
    record Result(List<Violation> violations, List<String> sqlFiles, List<String> javaFiles,
                  List<String> filesWithSql, int snippets) {
    }

    private final Path root;
    private final Set<Violation> violations = new LinkedHashSet<>();   // a constant checked alone and in use
    private final List<String> sqlFiles = new ArrayList<>();
    private final List<String> javaFiles = new ArrayList<>();
    private final List<String> filesWithSql = new ArrayList<>();
    private int snippets;

    private ProjectSqlScan(Path root) {
        this.root = root;
    }

    /** The repository root: the nearest directory at or above {@code start} whose pom.xml lists engine/api. */
    static Path repositoryRoot(Path start) {
        for (Path dir = start.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
            Path pom = dir.resolve("pom.xml");
            try {
                if (Files.isRegularFile(pom) && Files.readString(pom).contains("<module>engine/api</module>")) {
                    return dir;
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        throw new IllegalStateException("No parent pom.xml with <module>engine/api</module> at or above " + start);
    }

    static Result scan(Path root) throws IOException {
        ProjectSqlScan scan = new ProjectSqlScan(root);
        for (Path main : mainTrees(root)) {
            for (Path file : files(main)) {
                String name = file.getFileName().toString();
                if (name.endsWith(".sql")) {
                    scan.sqlFile(file);
                } else if (name.endsWith(".java")) {
                    scan.javaFile(file);
                }
            }
        }
        return new Result(List.copyOf(scan.violations), List.copyOf(scan.sqlFiles), List.copyOf(scan.javaFiles),
                List.copyOf(scan.filesWithSql), scan.snippets);
    }

    /** The src/main directories of modules one or two levels below the root. */
    private static List<Path> mainTrees(Path root) throws IOException {
        List<Path> trees = new ArrayList<>();
        for (Path module : directories(root)) {
            addIfDirectory(trees, module.resolve("src/main"));
            for (Path nested : directories(module)) {
                addIfDirectory(trees, nested.resolve("src/main"));
            }
        }
        return trees;
    }

    private void sqlFile(Path file) throws IOException {
        String relative = relative(file);
        sqlFiles.add(relative);
        String text = Files.readString(file, StandardCharsets.UTF_8);
        List<SqlStatement> statements;
        try {
            statements = SqlStatementSplitter.split(text);
        } catch (IllegalArgumentException e) {
            violations.add(new Violation(relative, 1, "unsplittable", e.getMessage(), ""));
            return;
        }
        for (SqlStatement statement : statements) {
            check(relative, SqlSnippet.at(statement.sql(), statement.line()));
        }
        if (!statements.isEmpty()) {
            filesWithSql.add(relative);
        }
    }

    private void javaFile(Path file) throws IOException {
        String relative = relative(file);
        javaFiles.add(relative);
        boolean any = false;
        for (SqlSnippet snippet : JavaSqlLiterals.extract(Files.readString(file, StandardCharsets.UTF_8))) {
            if (SqlPortabilityRules.looksLikeSql(snippet.sql())) {
                check(relative, snippet);
                any = true;
            }
        }
        if (any) {
            filesWithSql.add(relative);
        }
    }

    private void check(String file, SqlSnippet snippet) {
        snippets++;
        for (SqlPortabilityRules.Finding finding : SqlPortabilityRules.check(snippet.sql())) {
            violations.add(new Violation(file, snippet.lineAt(finding.offset()), finding.rule(), finding.message(),
                    excerpt(snippet.sql(), finding.offset())));
        }
    }

    private static String excerpt(String sql, int offset) {
        int from = Math.max(0, offset - 30);
        int to = Math.min(sql.length(), offset + 50);
        return (from > 0 ? "…" : "") + sql.substring(from, to).replaceAll("\\s+", " ").strip()
                + (to < sql.length() ? "…" : "");
    }

    private String relative(Path file) {
        return root.relativize(file).toString().replace('\\', '/');
    }

    private static List<Path> directories(Path dir) throws IOException {
        try (Stream<Path> children = Files.list(dir)) {
            return children.filter(Files::isDirectory)
                    .filter(d -> !d.getFileName().toString().startsWith("."))
                    .filter(d -> !d.getFileName().toString().equals("target"))
                    .sorted()
                    .toList();
        }
    }

    private static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).sorted().toList();
        }
    }

    private static void addIfDirectory(List<Path> trees, Path dir) {
        if (Files.isDirectory(dir)) {
            trees.add(dir);
        }
    }
}
