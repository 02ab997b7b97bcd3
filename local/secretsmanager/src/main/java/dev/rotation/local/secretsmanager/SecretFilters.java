package dev.rotation.local.secretsmanager;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * ListSecrets (and BatchGetSecretValue) filters, as the API reference's Filter type describes them:
 * "description: Prefix match, not case-sensitive. name: Prefix match, case-sensitive. tag-key: Prefix
 * match, case-sensitive. tag-value: Prefix match, case-sensitive. primary-region: Prefix match,
 * case-sensitive. owning-service: Prefix match, case-sensitive. all: Breaks the filter value string into
 * words and then searches all attributes for matches. Not case-sensitive." A value that starts with
 * {@code !} negates: the secret matches when none of its attributes of that kind matches. The values of
 * one filter are alternatives; several filters must all match.
 *
 * <p>For {@code all}, each word of the value must be a prefix (ignoring case) of one of the secret's
 * attributes (name, description, tag keys and values, owning service) or of a word in one: attributes
 * are split into words at spaces and at {@code / _ + = . @ - :}.
 */
final class SecretFilters {
    /** "Array Members: Minimum number of 1 item. Maximum number of 10 items." */
    static final int MAX_VALUES = 10;
    /** ListSecrets: "Filters ... Maximum number of 10 items." */
    static final int MAX_FILTERS = 10;
    /** "Length Constraints: Maximum length of 512. Pattern: ^\!?[a-zA-Z0-9 :_@\/\+\=\.\-\!]*$" */
    private static final Pattern VALUE = Pattern.compile("!?[a-zA-Z0-9 :_@/+=.\\-!]{0,512}");
    private static final Pattern WORD_BREAK = Pattern.compile("[\\s/_+=.@:-]+");

    private SecretFilters() {
    }

    /** The filters' predicate in {@code region}, the region of the store that lists. */
    static Predicate<Secret> of(List<SecretStore.Filter> filters, String region) {
        Predicate<Secret> all = x -> true;
        if (filters == null) {
            return all;
        }
        if (filters.size() > MAX_FILTERS) {
            throw ServiceException.invalidParameter("Filters can list at most " + MAX_FILTERS + " filters, got "
                    + filters.size() + ".");
        }
        for (SecretStore.Filter f : filters) {
            all = all.and(filter(f, region));
        }
        return all;
    }

    private static Predicate<Secret> filter(SecretStore.Filter f, String region) {
        if (f.key() == null) {
            throw ServiceException.invalidParameter("Every filter needs a Key: description, name, tag-key, "
                    + "tag-value, primary-region, owning-service or all.");
        }
        if (f.values() == null || f.values().isEmpty() || f.values().size() > MAX_VALUES) {
            throw ServiceException.invalidParameter("A filter lists 1 to " + MAX_VALUES + " Values, got "
                    + (f.values() == null ? 0 : f.values().size()) + ".");
        }
        Predicate<Secret> any = x -> false;
        for (String raw : f.values()) {
            if (raw.length() > 512 || !VALUE.matcher(raw).matches()) {
                throw ServiceException.invalidParameter("A filter value has at most 512 characters: letters, digits, "
                        + "spaces and :_@/+=.-!, optionally after one ! to negate; got '" + Validation.printable(raw)
                        + "'.");
            }
            boolean negate = raw.startsWith("!");
            String value = negate ? raw.substring(1) : raw;
            Predicate<Secret> p = switch (f.key()) {
                case "name" -> x -> x.name.startsWith(value);
                case "description" -> x -> x.description != null
                        && x.description.toLowerCase(Locale.ROOT).startsWith(value.toLowerCase(Locale.ROOT));
                case "tag-key" -> x -> x.tags.keySet().stream().anyMatch(k -> k.startsWith(value));
                case "tag-value" -> x -> x.tags.values().stream().anyMatch(v -> v.startsWith(value));
                // A replicated secret's primary region: its own for a primary, its primary's for a replica.
                case "primary-region" -> x -> {
                    String primary = x.primaryRegion != null ? x.primaryRegion : x.replicas.isEmpty() ? null : region;
                    return primary != null && primary.startsWith(value);
                };
                case "owning-service" -> x -> x.owningService != null && x.owningService.startsWith(value);
                case "all" -> allWords(value);
                default -> throw ServiceException.invalidParameter("Filter key must be one of description, name, "
                        + "tag-key, tag-value, primary-region, owning-service, all; got '"
                        + Validation.printable(f.key()) + "'.");
            };
            any = any.or(negate ? p.negate() : p);
        }
        return any;
    }

    private static Predicate<Secret> allWords(String value) {
        List<String> words = Stream.of(value.toLowerCase(Locale.ROOT).split("\\s+")).filter(w -> !w.isEmpty()).toList();
        return x -> {
            List<String> attributes = new ArrayList<>();
            attributes.add(x.name);
            if (x.description != null) {
                attributes.add(x.description);
            }
            attributes.addAll(x.tags.keySet());
            attributes.addAll(x.tags.values());
            if (x.owningService != null) {
                attributes.add(x.owningService);
            }
            List<String> candidates = new ArrayList<>();
            for (String a : attributes) {
                String lower = a.toLowerCase(Locale.ROOT);
                candidates.add(lower);
                candidates.addAll(List.of(WORD_BREAK.split(lower)));
            }
            return words.stream().allMatch(w -> candidates.stream().anyMatch(c -> c.startsWith(w)));
        };
    }
}
