package com.orderexport.docs;

import static org.assertj.core.api.Assertions.assertThat;

import com.orderexport.csv.ItemColumn;
import com.orderexport.csv.OrderColumn;
import com.orderexport.filter.Attribute;
import com.orderexport.filter.Operator;
import com.orderexport.stack.Template;
import com.orderexport.testing.Documentation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The reference tables of docs/ say what template.yaml and the code say, both ways: a parameter, variable,
 * output, filter attribute or column added or removed on one side and not the other fails here.
 */
class DocumentedTablesTest {

    static final String CONFIGURATION = "docs/configuration.md";
    final Template template = Template.load();

    @Test
    void theParameterTable_isExactlyTheTemplatesParametersWithTheirDefaults() {
        Map<String, String> documented = new TreeMap<>();
        for (List<String> row : Documentation.table(Documentation.page(CONFIGURATION), "parameter")) {
            for (String name : Documentation.codeNames(row.get(0))) {
                documented.put(name, row.get(1));
            }
        }
        Map<String, String> declared = new TreeMap<>();
        template.section("Parameters").properties().forEach(e -> {
            String value = e.getValue().path("Default").asText("");
            declared.put(e.getKey(), value.isEmpty() ? "empty" : "`" + value + "`");
        });

        assertThat(documented).isEqualTo(declared);
    }

    @Test
    void theVariableTable_isExactlyTheTemplatesVariablesWithTheFunctionsThatHaveThem() {
        Map<String, Set<String>> documented = new TreeMap<>();
        for (List<String> row : Documentation.table(Documentation.page(CONFIGURATION), "variable")) {
            if (row.get(2).contains("not declared in the template")) {
                continue;
            }
            documented.put(Documentation.codeNames(row.get(0)).get(0), new TreeSet<>(Documentation.codeNames(row.get(1))));
        }
        Map<String, Set<String>> declared = new TreeMap<>();
        template.section("Globals").path("Function").path("Environment").path("Variables").properties()
                .forEach(e -> declared.put(e.getKey(), new TreeSet<>(Set.of("all"))));
        template.resourcesOfType("AWS::Serverless::Function").forEach((function, properties) ->
                properties.path("Environment").path("Variables").properties().forEach(e ->
                        declared.computeIfAbsent(e.getKey(), k -> new TreeSet<>()).add(function)));

        assertThat(documented).isEqualTo(declared);
    }

    @Test
    void theOutputTable_isExactlyTheTemplatesOutputs() {
        List<String> documented = new ArrayList<>();
        for (List<String> row : Documentation.table(Documentation.page(CONFIGURATION), "output")) {
            documented.addAll(Documentation.codeNames(row.get(0)));
        }
        List<String> declared = new ArrayList<>();
        template.section("Outputs").fieldNames().forEachRemaining(declared::add);

        assertThat(documented).containsExactlyInAnyOrderElementsOf(declared);
    }

    @Test
    void theFilterTable_isExactlyTheAttributesAndTheirOperators() {
        Map<String, Set<String>> documented = new TreeMap<>();
        for (List<String> row : Documentation.table(Documentation.page("docs/filters.md"), "attribute")) {
            Set<String> operators = new TreeSet<>(Documentation.codeNames(row.get(1)));
            Documentation.codeNames(row.get(0)).forEach(name -> documented.put(name, operators));
        }
        Map<String, Set<String>> implemented = new TreeMap<>();
        for (Attribute attribute : Attribute.values()) {
            Set<String> operators = new TreeSet<>();
            attribute.operators().stream().map(Operator::filterName).forEach(operators::add);
            implemented.put(attribute.filterName(), operators);
        }

        assertThat(documented).isEqualTo(implemented);
    }

    @Test
    void theColumnTable_isExactlyTheColumnsInOrderWithTheirDescriptions() {
        Map<String, String> documented = new LinkedHashMap<>();
        for (List<String> row : Documentation.table(Documentation.page("docs/files.md"), "#")) {
            documented.put(row.get(0) + " " + Documentation.codeNames(row.get(1)).get(0), row.get(2));
        }
        Map<String, String> implemented = new LinkedHashMap<>();
        for (OrderColumn column : OrderColumn.values()) {
            implemented.put((column.ordinal() + 1) + " " + column.header(), column.description());
        }

        assertThat(documented).containsExactlyEntriesOf(implemented);
    }

    @Test
    void theItemColumnTable_isExactlyTheItemColumnsInOrderWithTheirDescriptions() {
        Map<String, String> documented = new LinkedHashMap<>();
        for (List<String> row : Documentation.table(Documentation.page("docs/files.md"), "item column")) {
            documented.put(Documentation.codeNames(row.get(0)).get(0), row.get(1));
        }
        Map<String, String> implemented = new LinkedHashMap<>();
        for (ItemColumn column : ItemColumn.values()) {
            implemented.put(column.header(), column.description());
        }

        assertThat(documented).containsExactlyEntriesOf(implemented);
    }

    @Test
    void everyPageOfDocs_startsWithWhatItIsFor_andIsLinkedFromTheReadme() {
        String readme = Documentation.page("README.md");
        Documentation.pages().forEach((page, text) -> {
            if (page.startsWith("docs")) {
                String[] lines = text.split("\n");
                assertThat(lines[0]).as(page.toString()).startsWith("# ");
                assertThat(lines[2]).as(page + ": what it is for, first").isNotBlank().doesNotStartWith("#");
                assertThat(readme).as("README links " + page).contains("(" + page.toString().replace('\\', '/') + ")");
            }
        });
    }
}
