package dev.rotation.local.secretsmanager;

import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * ListSecrets filters: each value is a prefix match, case-insensitive; a leading {@code !} negates
 * it. Values of one filter are alternatives; several filters must all match.
 */
final class SecretFilters {
    private SecretFilters() {
    }

    static Predicate<Secret> of(List<SecretStore.Filter> filters) {
        Predicate<Secret> all = x -> true;
        if (filters == null) {
            return all;
        }
        for (SecretStore.Filter f : filters) {
            if (f.values() == null || f.values().isEmpty()) {
                throw ServiceException.invalidParameter("A ListSecrets filter needs at least one value.");
            }
            Predicate<Secret> any = x -> false;
            for (String raw : f.values()) {
                boolean negate = raw.startsWith("!");
                String exact = negate ? raw.substring(1) : raw;
                String value = exact.toLowerCase(Locale.ROOT);
                Predicate<Secret> p = switch (f.key()) {
                    case "name" -> x -> starts(x.name, value);
                    case "description" -> x -> starts(x.description, value);
                    case "tag-key" -> x -> x.tags.keySet().stream().anyMatch(k -> starts(k, value));
                    case "tag-value" -> x -> x.tags.values().stream().anyMatch(v -> starts(v, value));
                    case "primary-region" -> x -> false; // one region: no secret is replicated
                    // Case-sensitive, as the service documents it.
                    case "owning-service" -> x -> x.owningService != null && x.owningService.startsWith(exact);
                    case "all" -> x -> starts(x.name, value) || starts(x.description, value)
                            || x.tags.keySet().stream().anyMatch(k -> starts(k, value))
                            || x.tags.values().stream().anyMatch(v -> starts(v, value));
                    default -> throw ServiceException.invalidParameter("Filter key must be one of description, name, "
                            + "tag-key, tag-value, primary-region, owning-service, all; got '"
                            + Validation.printable(f.key()) + "'.");
                };
                any = any.or(negate ? p.negate() : p);
            }
            all = all.and(any);
        }
        return all;
    }

    private static boolean starts(String text, String prefixLower) {
        return text != null && text.toLowerCase(Locale.ROOT).startsWith(prefixLower);
    }

}
