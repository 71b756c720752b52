package com.orderexport.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The project's documentation read as data: README.md and docs/*.md, their shell commands (continuation lines
 * joined), their tables, and the exec:java executions of pom.xml that the commands name.
 */
public final class Documentation {

    private static final Pattern EXECUTION = Pattern.compile(
            "<execution>\\s*(?:<!--.*?-->\\s*)?<id>([^<]+)</id>(.*?)</execution>", Pattern.DOTALL);
    private static final Pattern MAIN_CLASS = Pattern.compile("<mainClass>([^<]+)</mainClass>");

    private Documentation() {}

    /** README.md, then every page of docs/, by path. */
    public static Map<Path, String> pages() {
        Map<Path, String> pages = new LinkedHashMap<>();
        try (Stream<Path> docs = Files.list(Path.of("docs"))) {
            pages.put(Path.of("README.md"), Files.readString(Path.of("README.md")));
            for (Path page : docs.filter(p -> p.toString().endsWith(".md")).sorted().toList()) {
                pages.put(page, Files.readString(page));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return pages;
    }

    public static String page(String path) {
        try {
            return Files.readString(Path.of(path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Each line of the page's fenced code blocks, with lines ending in a backslash joined to the next. */
    public static List<String> commands(String page) {
        List<String> commands = new ArrayList<>();
        boolean inCode = false;
        StringBuilder pending = new StringBuilder();
        for (String line : page.split("\n", -1)) {
            if (line.startsWith("```")) {
                inCode = !inCode;
                continue;
            }
            if (!inCode) {
                continue;
            }
            if (line.endsWith("\\")) {
                pending.append(line, 0, line.length() - 1).append(' ');
                continue;
            }
            commands.add(pending.append(line).toString().replaceAll("\\s+", " ").trim());
            pending.setLength(0);
        }
        return commands;
    }

    /**
     * The rows, as trimmed cells, of each Markdown table on the page whose header's first cell is {@code header},
     * header and separator left out.
     */
    public static List<List<String>> table(String page, String header) {
        List<List<String>> rows = new ArrayList<>();
        boolean inTable = false;
        String[] lines = page.split("\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].trim();
            if (!line.startsWith("|")) {
                inTable = false;
                continue;
            }
            List<String> cells = cells(line);
            boolean isHeader = i + 1 < lines.length && lines[i + 1].trim().matches("\\|[-| :]+\\|");
            if (isHeader) {
                inTable = cells.get(0).equals(header);
            } else if (inTable && !line.matches("\\|[-| :]+\\|")) {
                rows.add(cells);
            }
        }
        return rows;
    }

    private static List<String> cells(String line) {
        List<String> cells = new ArrayList<>();
        for (String cell : line.substring(1, line.length() - 1).split("(?<!\\\\)\\|", -1)) {
            cells.add(cell.trim());
        }
        return cells;
    }

    /** The names in backticks in a table cell: {@code `A` / `B`} gives A and B. */
    public static List<String> codeNames(String cell) {
        List<String> names = new ArrayList<>();
        Matcher m = Pattern.compile("`([^`]+)`").matcher(cell);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /**
     * Whether docs/testing.md's fault tables hold this measured row. A count in the fault's own words (how many resets
     * the proxy made: "connection resets (7, …)") varies from run to run and is not compared; the outcome columns are.
     */
    public static boolean hasFaultRow(String row) {
        String counted = "\\((\\d+)";
        return page("docs/testing.md").lines().map(line -> line.replaceAll(counted, "(#"))
                .anyMatch(row.strip().replaceAll(counted, "(#")::equals);
    }

    /** pom.xml's exec-maven-plugin executions that run a class: execution id to main class. */
    public static Map<String, String> execExecutions() {
        Map<String, String> executions = new LinkedHashMap<>();
        Matcher m = EXECUTION.matcher(page("pom.xml"));
        while (m.find()) {
            Matcher main = MAIN_CLASS.matcher(m.group(2));
            if (main.find()) {
                executions.put(m.group(1).trim(), main.group(1).trim());
            }
        }
        return executions;
    }
}
