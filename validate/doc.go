// Package validate checks HTTP requests and responses against the contracts of
// a spec.Registry. A Validator is built once, compiling every schema, and then
// validates any number of exchanges concurrently, returning every finding in
// one pass with its code, severity, JSON pointer and contract reference. The
// package also provides net/http middleware built on the validator.
package validate
