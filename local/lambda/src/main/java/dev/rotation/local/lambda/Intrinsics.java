package dev.rotation.local.lambda;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Resolves CloudFormation intrinsic functions the way a deployment with default parameters would,
 * as far as that is possible without AWS: {@code Ref} to parameters and pseudo parameters,
 * {@code Fn::Sub}, {@code Fn::Join}, {@code Fn::If} with the template's conditions ({@code Fn::Equals},
 * {@code Fn::Not}, {@code Fn::And}, {@code Fn::Or}, {@code Condition}), {@code Fn::Select} and
 * {@code Fn::Split}. What cannot be known locally (a resource's ARN, an import) resolves to
 * {@link Optional#empty()}, as does {@code AWS::NoValue}, so the caller drops the value.
 */
final class Intrinsics {
    private final Map<String, Object> parameters;
    private final Map<String, Object> conditions;
    private final Map<String, Boolean> evaluated = new HashMap<>();

    /**
     * @param parameters parameter values by name: strings, or lists for list-typed parameters, plus the
     *                   pseudo parameters ({@code AWS::Region} ...)
     * @param conditions the template's {@code Conditions} section, unevaluated
     */
    Intrinsics(Map<String, Object> parameters, Map<String, Object> conditions) {
        this.parameters = parameters;
        this.conditions = conditions;
    }

    /** The value with every intrinsic resolved, or empty when it cannot be (or is AWS::NoValue). */
    Optional<Object> resolve(Object value) {
        if (value instanceof Map<?, ?> map) {
            if (map.size() == 1) {
                String key = String.valueOf(map.keySet().iterator().next());
                if (key.equals("Ref") || key.startsWith("Fn::") || key.equals("Condition")) {
                    return function(key, map.values().iterator().next());
                }
            }
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                resolve(entry.getValue()).ifPresent(v -> out.put(String.valueOf(entry.getKey()), v));
            }
            return Optional.of(out);
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            for (Object item : list) {
                resolve(item).ifPresent(out::add);
            }
            return Optional.of(out);
        }
        return Optional.ofNullable(value);
    }

    /** A named condition's value with the parameters' values. */
    boolean condition(String name) {
        Boolean known = evaluated.get(name);
        if (known != null) {
            return known;
        }
        Object definition = conditions.get(name);
        if (definition == null) {
            throw new TemplateException("unknown condition " + name);
        }
        boolean value = resolve(definition).map(v -> v instanceof Boolean b && b).orElse(false);
        evaluated.put(name, value);
        return value;
    }

    private Optional<Object> function(String name, Object argument) {
        switch (name) {
            case "Ref":
                return ref(String.valueOf(argument));
            case "Condition":
                return Optional.of(condition(String.valueOf(argument)));
            case "Fn::Sub":
                return sub(argument);
            case "Fn::Join": {
                List<?> args = list(argument, 2, name);
                Optional<Object> items = resolve(args.get(1));
                if (items.isEmpty() || !(items.get() instanceof List<?> parts)) {
                    return Optional.empty();
                }
                List<String> strings = new ArrayList<>();
                for (Object part : parts) {
                    strings.add(String.valueOf(part));
                }
                return Optional.of(String.join(String.valueOf(args.get(0)), strings));
            }
            case "Fn::If": {
                List<?> args = list(argument, 3, name);
                return resolve(condition(String.valueOf(args.get(0))) ? args.get(1) : args.get(2));
            }
            case "Fn::Equals": {
                List<?> args = list(argument, 2, name);
                Optional<Object> left = resolve(args.get(0));
                Optional<Object> right = resolve(args.get(1));
                return Optional.of(left.isPresent() && right.isPresent()
                        && String.valueOf(left.get()).equals(String.valueOf(right.get())));
            }
            case "Fn::Not": {
                List<?> args = list(argument, 1, name);
                return Optional.of(!truth(args.get(0)));
            }
            case "Fn::And": {
                boolean all = true;
                for (Object item : list(argument, -1, name)) {
                    all &= truth(item);
                }
                return Optional.of(all);
            }
            case "Fn::Or": {
                boolean any = false;
                for (Object item : list(argument, -1, name)) {
                    any |= truth(item);
                }
                return Optional.of(any);
            }
            case "Fn::Select": {
                List<?> args = list(argument, 2, name);
                Optional<Object> items = resolve(args.get(1));
                Optional<Object> index = resolve(args.get(0));
                if (items.isEmpty() || index.isEmpty() || !(items.get() instanceof List<?> values)) {
                    return Optional.empty();
                }
                int i = Integer.parseInt(String.valueOf(index.get()));
                return i >= 0 && i < values.size() ? Optional.of(values.get(i)) : Optional.empty();
            }
            case "Fn::Split": {
                List<?> args = list(argument, 2, name);
                return resolve(args.get(1)).map(s -> List.of(String.valueOf(s).split(
                        java.util.regex.Pattern.quote(String.valueOf(args.get(0))), -1)));
            }
            default:
                // GetAtt, ImportValue, GetAZs, FindInMap ...: only a deployed stack knows these.
                return Optional.empty();
        }
    }

    private boolean truth(Object value) {
        return resolve(value).map(v -> v instanceof Boolean b ? b : Boolean.parseBoolean(String.valueOf(v)))
                .orElse(false);
    }

    private Optional<Object> ref(String name) {
        if (name.equals("AWS::NoValue")) {
            return Optional.empty();
        }
        return Optional.ofNullable(parameters.get(name));
    }

    private Optional<Object> sub(Object argument) {
        String text;
        Map<String, Object> variables = new HashMap<>();
        if (argument instanceof List<?> args) {
            if (args.size() != 2 || !(args.get(1) instanceof Map<?, ?> vars)) {
                throw new TemplateException("Fn::Sub takes a string or [string, {variables}]");
            }
            text = String.valueOf(args.get(0));
            for (Map.Entry<?, ?> entry : vars.entrySet()) {
                Optional<Object> v = resolve(entry.getValue());
                if (v.isEmpty()) {
                    return Optional.empty();
                }
                variables.put(String.valueOf(entry.getKey()), v.get());
            }
        } else {
            text = String.valueOf(argument);
        }
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < text.length()) {
            int start = text.indexOf("${", i);
            if (start < 0) {
                out.append(text, i, text.length());
                break;
            }
            int end = text.indexOf('}', start);
            if (end < 0) {
                throw new TemplateException("Fn::Sub: unclosed ${ in " + text);
            }
            out.append(text, i, start);
            String name = text.substring(start + 2, end);
            if (name.startsWith("!")) {
                out.append("${").append(name.substring(1)).append('}');
            } else {
                Object value = variables.containsKey(name) ? variables.get(name) : parameters.get(name);
                if (value == null || value instanceof List<?>) {
                    return Optional.empty();
                }
                out.append(value);
            }
            i = end + 1;
        }
        return Optional.of(out.toString());
    }

    private static List<?> list(Object argument, int size, String function) {
        if (!(argument instanceof List<?> list) || (size >= 0 && list.size() != size)) {
            throw new TemplateException(function + " takes a list of " + (size >= 0 ? size : "some") + " values");
        }
        return list;
    }
}
