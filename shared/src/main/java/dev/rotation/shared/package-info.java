/** The Secrets Manager rotation protocol, shared by every engine's functions. */
package dev.rotation.shared;
