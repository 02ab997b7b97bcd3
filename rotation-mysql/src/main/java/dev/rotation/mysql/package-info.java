/**
 * The MySQL, Aurora MySQL and MariaDB rotation functions. {@link dev.rotation.mysql.MySqlRotationHandler}
 * is the single-user Lambda handler; {@link dev.rotation.mysql.MySqlEngine} holds every statement the
 * single-user rotation sends (version detection, changing one's own password) and the Connector/J
 * connection settings (TLS, timeouts).
 */
package dev.rotation.mysql;
