/**
 * The PostgreSQL and Aurora PostgreSQL rotation functions.
 * {@link dev.rotation.postgres.PostgresRotationHandler} is the single-user Lambda handler;
 * {@link dev.rotation.postgres.PostgresEngine} holds every statement the single-user rotation sends
 * and the pgjdbc connection settings (TLS, timeouts). Passwords are hashed to SCRAM-SHA-256 on the
 * client, so the plaintext never reaches the server.
 */
package dev.rotation.postgres;
