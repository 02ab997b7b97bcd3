/** The mysql rotation functions. */
package dev.rotation.mysql;
