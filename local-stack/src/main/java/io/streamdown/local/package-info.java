/**
 * The local stack: a real Apache Kafka broker in KRaft combined mode inside this JVM, the design
 * topics, and the four services as child processes with their logs, health checks and an orderly
 * shutdown. {@link io.streamdown.local.Main} is the command line behind {@code ./streamdown up};
 * {@link io.streamdown.local.StackLauncher} is the same machinery as a library for end-to-end
 * tests.
 */
package io.streamdown.local;
