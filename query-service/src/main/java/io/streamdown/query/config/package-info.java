/** Settings of the query service, bound from {@code streamdown.*}. */
package io.streamdown.query.config;
