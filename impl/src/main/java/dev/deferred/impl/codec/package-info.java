/**
 * The task payload: versioned JSON (JSON-B) naming bean, qualifiers, method and arguments, JPA
 * entities as references, HMAC-SHA256 signing with key rotation. No Java serialization.
 *
 * <p>Internal, may change without notice.
 */
package dev.deferred.impl.codec;
