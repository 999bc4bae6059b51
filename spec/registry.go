package spec

import (
	"fmt"
	"sort"
	"strings"
)

// Registry holds loaded contracts and routes HTTP calls to their operations.
// It is immutable once built and safe for concurrent use.
type Registry struct {
	contracts []*Contract
	root      routeNode
	ops       map[string][]*Operation // lower-case operationId -> operations (one per api-version)
}

// NewRegistry builds a registry over the given contracts. Two contracts may
// share a provider only at different api-versions.
func NewRegistry(contracts ...*Contract) (*Registry, error) {
	r := &Registry{ops: map[string][]*Operation{}}
	for _, c := range contracts {
		r.contracts = append(r.contracts, c)
		for _, op := range c.Operations {
			if err := r.root.insert(op); err != nil {
				return nil, fmt.Errorf("%s: %w", c.Source, err)
			}
			id := strings.ToLower(op.ID)
			r.ops[id] = append(r.ops[id], op)
		}
	}
	sort.SliceStable(r.contracts, func(i, j int) bool {
		a, b := r.contracts[i], r.contracts[j]
		if a.Provider != b.Provider {
			return a.Provider < b.Provider
		}
		return a.APIVersion < b.APIVersion
	})
	return r, nil
}

// Contracts returns the contracts in the registry, sorted by provider and
// api-version.
func (r *Registry) Contracts() []*Contract { return r.contracts }

// Operation returns the operation with the given operationId (matched
// case-insensitively) at apiVersion. With an empty apiVersion it succeeds only
// when a single api-version declares the operation.
func (r *Registry) Operation(operationID, apiVersion string) (*Operation, error) {
	ops := r.ops[strings.ToLower(operationID)]
	if len(ops) == 0 {
		return nil, fmt.Errorf("no operation %q in any contract", operationID)
	}
	var versions []string
	for _, op := range ops {
		if apiVersion != "" && strings.EqualFold(op.Contract.APIVersion, apiVersion) {
			return op, nil
		}
		versions = append(versions, op.Contract.APIVersion)
	}
	sort.Strings(versions)
	if apiVersion == "" {
		if len(ops) == 1 {
			return ops[0], nil
		}
		return nil, fmt.Errorf("operation %q exists at several api-versions (%s); name one", operationID, strings.Join(versions, ", "))
	}
	return nil, fmt.Errorf("operation %q is not embedded at api-version %q; embedded: %s", operationID, apiVersion, strings.Join(versions, ", "))
}

// Route finds the operation for an HTTP call, ARM-style: the api-version
// query parameter selects the contract, literal path segments match
// case-insensitively, any host (or none) is accepted, percent-encoded segments
// are decoded and a trailing slash is tolerated. A miss returns a *RouteError
// saying why.
func (r *Registry) Route(method, rawURL string) (*Match, error) {
	path, query := splitURL(rawURL)
	if len(path) > 1 && path[len(path)-1] == '/' {
		path = path[:len(path)-1]
	}
	m := &Match{path: path}
	leaf := r.root.match(path, strings.IndexByte(path, '%') >= 0, m)
	if leaf == nil {
		return nil, &RouteError{Kind: NoContract, Method: method, Path: path, Resource: resourceOf(path)}
	}
	version, ok := QueryValue(query, "api-version")
	if !ok || version == "" {
		return nil, &RouteError{Kind: NoAPIVersion, Method: method, Path: path, Template: leaf.template, Supported: leaf.names}
	}
	var vo *versionOps
	for i := range leaf.versions {
		if strings.EqualFold(leaf.versions[i].version, version) {
			vo = &leaf.versions[i]
			break
		}
	}
	if vo == nil {
		return nil, &RouteError{Kind: UnsupportedAPIVersion, Method: method, Path: path, APIVersion: version, Template: leaf.template, Supported: leaf.names}
	}
	for _, op := range vo.ops {
		if strings.EqualFold(op.Method, method) {
			m.Operation = op
			m.APIVersion = op.Contract.APIVersion
			return m, nil
		}
	}
	allowed := make([]string, 0, len(vo.ops))
	for _, op := range vo.ops {
		allowed = append(allowed, op.Method)
	}
	sort.Strings(allowed)
	return nil, &RouteError{Kind: MethodNotAllowed, Method: method, Path: path, APIVersion: version, Template: vo.ops[0].Path, Supported: leaf.names, Allowed: allowed}
}
