package dev.rotation.local.lambda;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads CloudFormation/SAM YAML into plain maps, lists and strings. The short tags ({@code !Ref X},
 * {@code !Sub ...}, {@code !GetAtt A.B}, {@code !If [...]} and every other {@code !Name}) become their
 * long forms ({@code {"Ref": X}}, {@code {"Fn::Sub": ...}}, {@code {"Fn::GetAtt": [A, B]}}), as
 * CloudFormation itself reads them, so one resolver handles both spellings.
 */
final class CloudFormationYaml {
    private CloudFormationYaml() {
    }

    static Map<String, Object> read(Path file) {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            Object document = new Yaml(new IntrinsicConstructor()).load(reader);
            if (!(document instanceof Map<?, ?> map)) {
                throw new TemplateException(file + " is not a YAML mapping");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> template = (Map<String, Object>) map;
            return template;
        } catch (IOException e) {
            throw new TemplateException("cannot read " + file + ": " + FileErrors.reason(e));
        } catch (RuntimeException e) {
            if (e instanceof TemplateException) {
                throw e;
            }
            // SnakeYAML reads lazily and wraps a failed read (a directory, say) in its own exception.
            if (e.getCause() instanceof IOException io) {
                throw new TemplateException("cannot read " + file + ": " + FileErrors.reason(io));
            }
            throw new TemplateException("cannot parse " + file + ": " + e.getMessage());
        }
    }

    /** SafeConstructor (no arbitrary types) plus a fallback that turns any {@code !Tag} into its long form. */
    private static final class IntrinsicConstructor extends SafeConstructor {
        IntrinsicConstructor() {
            super(new LoaderOptions());
            yamlConstructors.put(null, new IntrinsicConstruct());
        }

        private final class IntrinsicConstruct extends AbstractConstruct {
            @Override
            public Object construct(Node node) {
                String tag = node.getTag().getValue();
                if (!tag.startsWith("!") || tag.length() < 2) {
                    throw new TemplateException("unsupported YAML tag " + tag);
                }
                String name = tag.substring(1);
                String key = name.equals("Ref") || name.equals("Condition") ? name : "Fn::" + name;
                Object value;
                if (node instanceof ScalarNode scalar) {
                    String text = constructScalar(scalar);
                    value = name.equals("GetAtt") ? Arrays.asList(text.split("\\.", 2)) : text;
                } else if (node instanceof SequenceNode sequence) {
                    value = constructSequence(sequence);
                } else {
                    value = constructMapping((MappingNode) node);
                }
                return Map.of(key, value);
            }
        }
    }
}
