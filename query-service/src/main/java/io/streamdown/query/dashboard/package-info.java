/**
 * The dashboard served at {@code /} (static files under {@code static/}) and what only it needs:
 * the pipeline health endpoint ({@code GET /api/v1/pipeline}) and public access to the page's own
 * files while API keys guard the API.
 */
package io.streamdown.query.dashboard;
