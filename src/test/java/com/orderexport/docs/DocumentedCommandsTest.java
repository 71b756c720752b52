package com.orderexport.docs;

import static org.assertj.core.api.Assertions.assertThat;

import com.orderexport.testing.Documentation;
import java.lang.reflect.Field;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every Maven command the README and docs/ show names an execution, a class and options that exist: a renamed
 * class or option breaks the build, not the reader's first try.
 */
class DocumentedCommandsTest {

    static final Pattern EXEC_ID = Pattern.compile("exec:java@([A-Za-z0-9_-]+)");
    static final Pattern MAIN_CLASS = Pattern.compile("-Dexec\\.mainClass=([\\w.$]+)");
    static final Pattern ARGS = Pattern.compile("-Dexec\\.args=\"([^\"]*)\"");
    static final Pattern OPTION = Pattern.compile("(?<![\\w-])(--[a-z][a-z-]*)");

    final Map<String, String> executions = Documentation.execExecutions();

    @Test
    void everyExecIdShown_isAnExecutionOfThePomWhoseClassExists() {
        List<String> wrong = new ArrayList<>();
        forEachMavenCommand((page, command) -> {
            Matcher id = EXEC_ID.matcher(command);
            while (id.find()) {
                String main = executions.get(id.group(1));
                if (main == null) {
                    wrong.add(page + ": exec:java@" + id.group(1) + " is not an execution of pom.xml (" + executions.keySet()
                            + "): " + command);
                } else if (load(main) == null) {
                    wrong.add(page + ": exec:java@" + id.group(1) + " runs " + main + ", which does not exist: " + command);
                }
            }
        });
        assertThat(wrong).isEmpty();
    }

    @Test
    void everyMainClassShown_exists() {
        List<String> wrong = new ArrayList<>();
        forEachMavenCommand((page, command) -> {
            Matcher main = MAIN_CLASS.matcher(command);
            while (main.find()) {
                if (load(main.group(1)) == null) {
                    wrong.add(page + ": -Dexec.mainClass=" + main.group(1) + " does not exist: " + command);
                }
            }
            if (command.contains("exec:java") && !EXEC_ID.matcher(command).find() && !MAIN_CLASS.matcher(command).find()) {
                wrong.add(page + ": exec:java names no class (neither @id nor -Dexec.mainClass): " + command);
            }
        });
        assertThat(wrong).isEmpty();
    }

    @Test
    void everyOptionShown_isOneTheCommandsClassTakes_andSitsInsideExecArgs() {
        List<String> wrong = new ArrayList<>();
        forEachMavenCommand((page, command) -> {
            String main = mainClassOf(command);
            if (main == null) {
                return;
            }
            String usage = usageOf(main);
            Matcher args = ARGS.matcher(command);
            while (args.find()) {
                Matcher option = OPTION.matcher(args.group(1));
                while (option.find()) {
                    if (usage == null || !OPTION.matcher(usage).results().map(r -> r.group(1)).toList().contains(option.group(1))) {
                        wrong.add(page + ": " + main + " takes no option " + option.group(1) + " (its usage: " + usage + "): "
                                + command);
                    }
                }
            }
            Matcher outside = OPTION.matcher(ARGS.matcher(command.substring(command.indexOf("mvn "))).replaceAll(""));
            while (outside.find()) {
                wrong.add(page + ": " + outside.group(1) + " goes to Maven, which refuses it; put it in -Dexec.args=\"…\": "
                        + command);
            }
        });
        assertThat(wrong).isEmpty();
    }

    @Test
    void theDocumentationShowsTheLocalStackTheLoaderTheBenchmarkAndInvoke() {
        List<String> shown = new ArrayList<>();
        forEachMavenCommand((page, command) -> shown.add(command));

        assertThat(shown).anyMatch(c -> c.contains("exec:java@local"))
                .anyMatch(c -> c.contains("exec:java@load"))
                .anyMatch(c -> c.contains("exec:java@admin"))
                .anyMatch(c -> c.contains("exec:java@backfill"))
                .anyMatch(c -> c.contains("exec:java@bench"))
                .anyMatch(c -> c.contains("exec:java@invoke"));
    }

    interface CommandVisitor {
        void visit(Path page, String command);
    }

    static void forEachMavenCommand(CommandVisitor visitor) {
        Documentation.pages().forEach((page, text) -> {
            for (String command : Documentation.commands(text)) {
                if (command.matches("(.*\\s)?mvn\\s.*")) {
                    visitor.visit(page, command);
                }
            }
        });
    }

    private String mainClassOf(String command) {
        Matcher id = EXEC_ID.matcher(command);
        if (id.find()) {
            return executions.get(id.group(1));
        }
        Matcher main = MAIN_CLASS.matcher(command);
        return main.find() ? main.group(1) : null;
    }

    /** The class's USAGE text, which names every option its command line takes. */
    private static String usageOf(String className) {
        Class<?> type = load(className);
        if (type == null) {
            return null;
        }
        try {
            Field usage = type.getDeclaredField("USAGE");
            usage.setAccessible(true);
            return (String) usage.get(null);
        } catch (ReflectiveOperationException e) {
            return null;
        }
    }

    private static Class<?> load(String className) {
        try {
            return Class.forName(className, false, DocumentedCommandsTest.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            return null;
        }
    }
}
