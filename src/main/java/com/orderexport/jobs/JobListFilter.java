package com.orderexport.jobs;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The filter of {@code GET /v2/jobs?filter=...}, in Elastic Path's filter syntax: {@code eq} and {@code in} terms on
 * {@code status}, {@code job_type} and {@code schedule_id} (a schedule's runs), joined by {@code :}, all of which
 * must hold ({@code eq(status,processing)}, {@code in(status,pending,processing):eq(job_type,order_export)}).
 */
public final class JobListFilter implements Predicate<Job> {

    public static final JobListFilter ALL = new JobListFilter("", Map.of());
    private static final String ERROR = "Could not parse the supplied filter: ";
    private static final Set<String> ATTRIBUTES = Set.of("status", "job_type", "schedule_id");

    private final String text;
    private final Map<String, Set<String>> allowed;

    private JobListFilter(String text, Map<String, Set<String>> allowed) {
        this.text = text;
        this.allowed = allowed;
    }

    /**
     * Reads a list filter; a blank one lists every job.
     *
     * @throws JobProblem with Elastic Path's parse-error wording, saying which term is wrong and why
     */
    public static JobListFilter parse(String text) throws JobProblem {
        if (text == null || text.isBlank()) {
            return ALL;
        }
        Map<String, Set<String>> allowed = new LinkedHashMap<>();
        String[] terms = text.split(":", -1);
        for (int i = 0; i < terms.length; i++) {
            String term = terms[i].trim();
            int open = term.indexOf('(');
            if (open < 0 || !term.endsWith(")")) {
                throw JobProblem.invalid(ERROR + "term " + (i + 1) + " '" + term + "' is not op(attribute,value)");
            }
            String operator = term.substring(0, open).trim();
            List<String> arguments = new ArrayList<>();
            for (String argument : term.substring(open + 1, term.length() - 1).split(",", -1)) {
                arguments.add(argument.trim());
            }
            String attribute = arguments.get(0);
            if (!ATTRIBUTES.contains(attribute)) {
                throw JobProblem.invalid(ERROR + "jobs can be filtered on status, job_type and schedule_id, not '" + attribute
                        + "' (term " + (i + 1) + ")");
            }
            List<String> values = arguments.subList(1, arguments.size());
            boolean valid = switch (operator) {
                case "eq" -> values.size() == 1;
                case "in" -> !values.isEmpty();
                default -> throw JobProblem.invalid(ERROR + "operator '" + operator + "' is not allowed for '" + attribute
                        + "' (allowed: eq, in) in term " + (i + 1));
            };
            if (!valid || values.stream().anyMatch(String::isEmpty)) {
                throw JobProblem.invalid(ERROR + "term " + (i + 1) + " '" + term + "' needs "
                        + (operator.equals("eq") ? "one value" : "one or more values"));
            }
            // Statuses and types match whatever their case; a schedule id is an id, matched exactly.
            Set<String> these = Set.copyOf(attribute.equals("schedule_id") ? values
                    : values.stream().map(v -> v.toLowerCase(Locale.ROOT)).toList());
            // Terms on one attribute must all hold: what they allow together is what each allows.
            allowed.merge(attribute, these, (a, b) -> Set.copyOf(a.stream().filter(b::contains).toList()));
        }
        return new JobListFilter(text.trim(), Map.copyOf(allowed));
    }

    @Override
    public boolean test(Job job) {
        Set<String> statuses = allowed.get("status");
        Set<String> types = allowed.get("job_type");
        Set<String> schedules = allowed.get("schedule_id");
        return (statuses == null || statuses.contains(job.status().wire()))
                && (types == null || types.contains(job.jobType().toLowerCase(Locale.ROOT)))
                && (schedules == null || job.scheduled() != null && schedules.contains(job.scheduled().scheduleId()));
    }

    /** The filter as the caller wrote it (trimmed): what pagination links carry on. */
    public String text() {
        return text;
    }
}
