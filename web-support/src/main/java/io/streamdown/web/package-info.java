/**
 * What the HTTP services (ingest, query) share: API keys, i.e. bearer tokens with scopes, checked
 * by a servlet filter in front of every endpoint of the public port.
 */
package io.streamdown.web;
