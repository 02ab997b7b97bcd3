package dev.rotation.shared;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the function's environment variables. An empty value counts as unset (templates pass empty
 * strings for parameters left blank); an invalid value is an error naming the variable.
 */
final class EnvironmentVariables {
    private final Map<String, String> environment;

    EnvironmentVariables(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    Optional<String> get(String name) {
        String value = environment.get(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }

    /** Raw value, empty string kept (for variables where "" is meaningful). */
    Optional<String> raw(String name) {
        return Optional.ofNullable(environment.get(name));
    }

    /** true/1/y/yes and false/0/n/no in any case, as the reference reads its flags. */
    boolean flag(String name, boolean defaultValue) {
        Optional<String> value = get(name);
        if (value.isEmpty()) {
            return defaultValue;
        }
        switch (value.get().toLowerCase(Locale.ROOT)) {
            case "true": case "1": case "y": case "yes":
                return true;
            case "false": case "0": case "n": case "no":
                return false;
            default:
                throw invalid(name, "must be true or false (also accepted: 1/0, y/n, yes/no)");
        }
    }

    int integer(String name, int defaultValue, int min, int max) {
        Optional<String> value = get(name);
        if (value.isEmpty()) {
            return defaultValue;
        }
        int parsed;
        try {
            parsed = Integer.parseInt(value.get());
        } catch (NumberFormatException e) {
            throw invalid(name, "must be a whole number from " + min + " to " + max);
        }
        if (parsed < min || parsed > max) {
            throw invalid(name, "must be a whole number from " + min + " to " + max);
        }
        return parsed;
    }

    static RotationException invalid(String name, String problem) {
        return new RotationException("environment variable " + name + " " + problem);
    }
}
