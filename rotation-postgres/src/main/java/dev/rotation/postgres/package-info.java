/** The postgres rotation functions. */
package dev.rotation.postgres;
