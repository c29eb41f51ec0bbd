/** Settings and Spring wiring of the aggregate service. */
package io.streamdown.aggregate.config;
