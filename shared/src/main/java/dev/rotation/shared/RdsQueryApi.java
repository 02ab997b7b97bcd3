package dev.rotation.shared;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.regions.PartitionMetadata;
import software.amazon.awssdk.regions.Region;

/**
 * {@code DescribeDBInstances} and {@code DescribeDBClusters} of the RDS Query API, signed with the
 * SDK's SigV4 signer and sent with the functions' HTTP client, the answer read with the JDK's XML
 * parser (external entities and DTDs off).
 *
 * <p>Why not the SDK's {@code rds} client: its jar is 6.0 MB (3,215 classes for 160 operations), which
 * would double the deployment jars for two read calls made only by alternating users, only for master
 * secrets without a host. The request is the documented form: {@code POST /} with
 * {@code Action=DescribeDBInstances&Version=2014-10-31&DBInstanceIdentifier=<ARN>} (the identifier
 * parameters accept an ARN), answered with {@code <Endpoint><Address>/<Port>} for an instance and
 * {@code <Endpoint>/<Port>} (the writer endpoint) for a cluster.
 */
final class RdsQueryApi implements RdsEndpointLookup {
    /** Environment variable: RDS API endpoint URL instead of the regional default (a VPC endpoint, or a local stub). */
    static final String RDS_ENDPOINT = "RDS_ENDPOINT";
    static final String API_VERSION = "2014-10-31";
    private static final Pattern RDS_ARN = Pattern.compile("arn:(aws[a-z-]*):rds:([a-z0-9-]+):(\\d{12}):(db|cluster):([A-Za-z0-9-]{1,63})");

    private final Map<String, String> environment;

    RdsQueryApi(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    @Override
    public ServerAddress writerEndpoint(String resourceArn) {
        Matcher arn = RDS_ARN.matcher(resourceArn);
        if (!arn.matches()) {
            throw new RotationException("'" + SecretScrubber.printable(resourceArn) + "' is not the ARN of an RDS DB"
                    + " instance or cluster (arn:aws:rds:REGION:ACCOUNT:db:ID or ...:cluster:ID)");
        }
        boolean cluster = arn.group(4).equals("cluster");
        String region = arn.group(2);
        String action = cluster ? "DescribeDBClusters" : "DescribeDBInstances";
        String body = "Action=" + action + "&Version=" + API_VERSION + "&" + (cluster ? "DBClusterIdentifier" : "DBInstanceIdentifier")
                + "=" + URLEncoder.encode(resourceArn, StandardCharsets.UTF_8);
        Document answer = call(endpoint(region), region, body, action, resourceArn);
        return cluster ? clusterEndpoint(answer, resourceArn) : instanceEndpoint(answer, resourceArn);
    }

    private URI endpoint(String region) {
        EnvironmentVariables env = new EnvironmentVariables(environment);
        Optional<String> override = env.get(RDS_ENDPOINT);
        if (override.isPresent()) {
            return SecretsManagerClients.endpoint(RDS_ENDPOINT, override.get());
        }
        return URI.create("https://rds." + region + "." + PartitionMetadata.of(Region.of(region)).dnsSuffix());
    }

    private Document call(URI endpoint, String region, String body, String action, String resourceArn) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        SdkHttpFullRequest request = SdkHttpFullRequest.builder()
                .method(SdkHttpMethod.POST)
                .uri(endpoint)
                .encodedPath("/")
                .putHeader("Host", endpoint.getPort() < 0 ? endpoint.getHost() : endpoint.getHost() + ":" + endpoint.getPort())
                .putHeader("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
                .putHeader("Content-Length", Integer.toString(bytes.length))
                .build();
        String what = "the RDS API's " + action + " for " + resourceArn;
        try {
            SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r
                    .identity(credentials())
                    .request(request)
                    .payload(ContentStreamProvider.fromByteArray(bytes))
                    .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "rds")
                    .putProperty(AwsV4HttpSigner.REGION_NAME, region));
            SdkHttpClient http = SecretsManagerClients.httpClient();
            try {
                HttpExecuteResponse response = http.prepareRequest(HttpExecuteRequest.builder()
                        .request(signed.request())
                        .contentStreamProvider(signed.payload().orElse(null))
                        .build()).call();
                Document document;
                try (InputStream in = response.responseBody().orElseThrow(() -> new IOException("empty answer"))) {
                    document = parse(in);
                }
                if (!response.httpResponse().isSuccessful()) {
                    throw new RotationException(what + " failed: " + errorOf(document, response.httpResponse().statusCode())
                            + rdsPermissionHint(action));
                }
                return document;
            } finally {
                http.close();
            }
        } catch (IOException | SdkException | IllegalStateException e) {
            throw new RotationException(what + " failed: " + e.getClass().getSimpleName() + ": " + e.getMessage()
                    + " (a function in a VPC needs a route to the RDS API: an interface endpoint or a NAT gateway)");
        }
    }

    private static String rdsPermissionHint(String action) {
        return " (the function needs rds:" + action + " on it)";
    }

    private AwsCredentials credentials() {
        return SecretsManagerClients.credentials(new EnvironmentVariables(environment))
                .orElseGet(() -> DefaultCredentialsProvider.builder().build().resolveCredentials());
    }

    static Document parse(InputStream in) throws IOException {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setXIncludeAware(false);
            factory.setExpandEntityReferences(false);
            return factory.newDocumentBuilder().parse(in);
        } catch (ParserConfigurationException | SAXException e) {
            throw new IOException("the answer is not well-formed XML", e);
        }
    }

    private static String errorOf(Document document, int status) {
        Optional<Element> error = first(document.getDocumentElement(), "Error");
        String code = error.flatMap(e -> text(e, "Code")).orElse("HTTP " + status);
        String message = error.flatMap(e -> text(e, "Message")).orElse("");
        return SecretScrubber.printable(code + (message.isEmpty() ? "" : ": " + message));
    }

    static ServerAddress instanceEndpoint(Document document, String resourceArn) {
        Element instance = first(document.getDocumentElement(), "DBInstance").orElseThrow(() -> new RotationException(
                "the RDS API knows no DB instance " + resourceArn));
        Element endpoint = first(instance, "Endpoint").orElseThrow(() -> new RotationException("the DB instance "
                + resourceArn + " has no endpoint yet (status " + text(instance, "DBInstanceStatus").orElse("unknown") + ")"));
        return address(text(endpoint, "Address"), text(endpoint, "Port"), resourceArn);
    }

    static ServerAddress clusterEndpoint(Document document, String resourceArn) {
        Element cluster = first(document.getDocumentElement(), "DBCluster").orElseThrow(() -> new RotationException(
                "the RDS API knows no DB cluster " + resourceArn));
        return address(text(cluster, "Endpoint"), text(cluster, "Port"), resourceArn);
    }

    private static ServerAddress address(Optional<String> host, Optional<String> port, String resourceArn) {
        if (host.isEmpty() || port.isEmpty()) {
            throw new RotationException("the RDS API names no endpoint address and port for " + resourceArn);
        }
        try {
            return new ServerAddress(host.get(), Integer.parseInt(port.get()));
        } catch (IllegalArgumentException e) {
            throw new RotationException("the RDS API names an invalid endpoint port for " + resourceArn);
        }
    }

    /** The first descendant element of that local name, in document order. */
    private static Optional<Element> first(Element parent, String localName) {
        NodeList nodes = parent.getElementsByTagNameNS("*", localName);
        return nodes.getLength() == 0 ? Optional.empty() : Optional.of((Element) nodes.item(0));
    }

    /** The text of the first direct child element of that local name. */
    private static Optional<String> text(Element parent, String localName) {
        for (Node child = parent.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (child instanceof Element element && localName.equals(element.getLocalName())) {
                String value = element.getTextContent().strip();
                return value.isEmpty() ? Optional.empty() : Optional.of(value);
            }
        }
        return Optional.empty();
    }
}
