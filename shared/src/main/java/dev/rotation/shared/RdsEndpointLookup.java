package dev.rotation.shared;

/**
 * Finds where an RDS DB instance or DB cluster accepts connections, for master secrets that name no
 * server of their own (the ones RDS manages name it only by their system tags). One method, so a test
 * can stand in for the RDS API.
 */
@FunctionalInterface
public interface RdsEndpointLookup {

    /**
     * The writer endpoint of the DB instance or DB cluster with this ARN.
     *
     * @param resourceArn {@code arn:PARTITION:rds:REGION:ACCOUNT:db:ID} or {@code ...:cluster:ID}
     * @throws RotationException naming the resource and what failed (never a credential)
     */
    ServerAddress writerEndpoint(String resourceArn);
}
