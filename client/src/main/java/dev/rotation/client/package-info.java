/** Application-side access to rotated database secrets. */
package dev.rotation.client;
