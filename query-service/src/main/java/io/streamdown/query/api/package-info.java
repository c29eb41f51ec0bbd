/** The HTTP API ({@code /api/v1/views}): request checks, responses and problem details. */
package io.streamdown.query.api;
