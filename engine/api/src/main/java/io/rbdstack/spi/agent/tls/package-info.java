/** Agent commands of the built-in CA: a host's certificate renewed over its mutual-TLS connection. */
package io.rbdstack.spi.agent.tls;
