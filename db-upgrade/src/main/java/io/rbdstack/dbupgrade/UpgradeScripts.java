package io.rbdstack.dbupgrade;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The ordered upgrade scripts this server knows. On the classpath they live in {@value #DIRECTORY},
 * listed in order by the index {@value #INDEX} (a directory inside a jar cannot be listed reliably).
 * Versions strictly increase; every script is split once at load time so a broken quote fails early.
 */
public final class UpgradeScripts {

    public static final String DIRECTORY = "db/upgrade/";
    public static final String INDEX = DIRECTORY + "scripts.txt";

    private final List<UpgradeScript> scripts;

    private UpgradeScripts(List<UpgradeScript> scripts) {
        this.scripts = List.copyOf(scripts);
    }

    /** The scripts listed by the index on this class's class path. */
    public static UpgradeScripts fromClasspath() throws DbUpgradeException {
        return fromClasspath(UpgradeScripts.class.getClassLoader());
    }

    public static UpgradeScripts fromClasspath(ClassLoader loader) throws DbUpgradeException {
        String index = read(loader, INDEX);
        if (index == null) {
            throw new DbUpgradeException("The upgrade script index " + INDEX
                    + " is missing from the class path; this server build is incomplete");
        }
        List<UpgradeScript> scripts = new ArrayList<>();
        for (String fileName : parseIndex(index)) {
            String text = read(loader, DIRECTORY + fileName);
            if (text == null) {
                throw new DbUpgradeException("The upgrade script index " + INDEX + " lists " + fileName
                        + ", which is missing from the class path; this server build is incomplete");
            }
            try {
                scripts.add(UpgradeScript.of(fileName, text));
            } catch (IllegalArgumentException e) {
                throw new DbUpgradeException(e.getMessage() + " (listed in " + INDEX + ")", e);
            }
        }
        try {
            return of(scripts);
        } catch (IllegalArgumentException e) {
            throw new DbUpgradeException(e.getMessage() + " (listed in " + INDEX + ")", e);
        }
    }

    /**
     * Scripts given in code, e.g. by tests.
     *
     * @throws IllegalArgumentException when versions do not strictly increase or a script cannot be split
     */
    public static UpgradeScripts of(List<UpgradeScript> scripts) {
        UpgradeScript previous = null;
        for (UpgradeScript script : scripts) {
            if (previous != null && script.version() <= previous.version()) {
                throw new IllegalArgumentException("Upgrade script " + script.fileName() + " comes after "
                        + previous.fileName() + " but its version is not higher; versions must strictly increase");
            }
            try {
                script.statements();
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("Upgrade script " + script.fileName() + " cannot be split into"
                        + " statements: " + e.getMessage(), e);
            }
            previous = script;
        }
        return new UpgradeScripts(scripts);
    }

    /** In-memory scripts by file name, e.g. for tests; ordered by version, which must be unique. */
    public static UpgradeScripts of(Map<String, String> textByFileName) {
        List<UpgradeScript> scripts = new ArrayList<>();
        textByFileName.forEach((name, text) -> scripts.add(UpgradeScript.of(name, text)));
        scripts.sort(Comparator.comparingInt(UpgradeScript::version));
        return of(scripts);
    }

    /** File names of an index: one per line; blank lines and lines starting with {@code #} are ignored. */
    public static List<String> parseIndex(String indexText) {
        List<String> names = new ArrayList<>();
        for (String line : indexText.split("\\R")) {
            String name = line.strip();
            if (!name.isEmpty() && !name.startsWith("#")) {
                names.add(name);
            }
        }
        return names;
    }

    public List<UpgradeScript> all() {
        return scripts;
    }

    /** Version of the newest script, 0 when there is none. */
    public int newestVersion() {
        return scripts.isEmpty() ? 0 : scripts.get(scripts.size() - 1).version();
    }

    public Optional<UpgradeScript> byVersion(int version) {
        return scripts.stream().filter(s -> s.version() == version).findFirst();
    }

    private static String read(ClassLoader loader, String resource) throws DbUpgradeException {
        try (InputStream in = loader.getResourceAsStream(resource)) {
            if (in == null) {
                return null;
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return text.startsWith("\uFEFF") ? text.substring(1) : text;   // an editor's BOM is no SQL
        } catch (IOException e) {
            throw new DbUpgradeException("Cannot read " + resource + " from the class path: " + e.getMessage(), e);
        }
    }
}
