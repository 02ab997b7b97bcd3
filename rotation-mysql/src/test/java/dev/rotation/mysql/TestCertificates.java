package dev.rotation.mysql;

/** A throwaway self-signed CA certificate (public part only) for trust-store tests. */
final class TestCertificates {

    static final String CA_PEM = ""
            + "-----BEGIN CERTIFICATE-----\n"
            + "MIIDGTCCAgGgAwIBAgIUE/a7suuXD3Tj/K+6+6wPwyti6T4wDQYJKoZIhvcNAQEL\n"
            + "BQAwGzEZMBcGA1UEAwwQcm90YXRpb24gdGVzdCBDQTAgFw0yNjExMjgxODQxNDBa\n"
            + "GA8yMTI2MTEwNDE4NDE0MFowGzEZMBcGA1UEAwwQcm90YXRpb24gdGVzdCBDQTCC\n"
            + "ASIwDQYJKoZIhvcNAQEBBQADggEPADCCAQoCggEBAOkJgqSx4+Mw6GDoiEEKhcs5\n"
            + "F4mh3T0wuhSQWDpg8eVKRZlDhN0YJsZxjSd+v+NFR6nfzxDM1Rn1XEQez/KXcNOo\n"
            + "lZvV4tIaKcFJie46s7isuUz0W5PWm3hRLUuMUEDefqs3G74O2a1pstSzegBafOyE\n"
            + "EnPNUCpz5/Ablxtn/fx7EcTer3Hm5TVQ4e9QQxP5+YtoTo5ndNjwm5U/WfDz4LXF\n"
            + "vapn5dZ39kgXL4+RQzXpURr4Qfi799fhPQ+WnpzLjxieZlZycrbf3OMo/rCoAm68\n"
            + "TLiqyFvG3irA+aweXjLknQQLI6tjq7wTGF5yT1iXX7DdWwn8EUFSzTvFUbHxAncC\n"
            + "AwEAAaNTMFEwHQYDVR0OBBYEFHK5OfoP8WWwCuHpMPZUryGkTZDZMB8GA1UdIwQY\n"
            + "MBaAFHK5OfoP8WWwCuHpMPZUryGkTZDZMA8GA1UdEwEB/wQFMAMBAf8wDQYJKoZI\n"
            + "hvcNAQELBQADggEBALPeF9TXcShTeUNXnWUzQbMSfSHevgUEO5lZA5IML1RJwCeQ\n"
            + "mAy/m6tjnOgZd4R/EIqUjWg45vnDyl6rAlTT9q1h77tBZpuyv2FpNylzLBtHL33V\n"
            + "ExLee0kdp74Mmq3IgPM/oLfBZNgoHz+PbW8mZxR44XRM8qUaNZXztkOMbuTVs8Lr\n"
            + "G9d2wPpYJv2OtCNqsjlnMRYyQ2EcvFJmfTvJhLNLYlIcU615bg44Y7pSw87AnEn/\n"
            + "J+qc677iy8qEgOcFp0Y4+khD53YAIY2e2ykgPoxXxAX5bByhiYfvUULtkbIM0BX1\n"
            + "cE8WbgivLe3jc9mQK7EkwM1hu7VZpSOu2QN/5fQ=\n"
            + "-----END CERTIFICATE-----\n";

    private TestCertificates() {
    }
}
