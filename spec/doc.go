// Package spec holds the API contracts contractlint checks traffic against:
// the embedded OpenAPI 3 documents, the loader for a user's own OpenAPI 3 or
// Swagger 2.0 contract, and the Registry that routes an HTTP call to its
// operation the way Azure Resource Manager does.
package spec
