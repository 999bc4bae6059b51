package validate

import (
	"fmt"
	"strings"

	"github.com/contractlint/contractlint/spec"
)

// Severity ranks a finding. The zero value is invalid so that a finding whose
// severity was never set is caught.
type Severity int8

// The severities, in increasing order.
const (
	Info Severity = iota + 1
	Warning
	Error
)

// String returns "info", "warning" or "error".
func (s Severity) String() string {
	switch s {
	case Info:
		return "info"
	case Warning:
		return "warning"
	case Error:
		return "error"
	}
	return fmt.Sprintf("severity(%d)", int8(s))
}

// MarshalText encodes the severity by name.
func (s Severity) MarshalText() ([]byte, error) {
	if s < Info || s > Error {
		return nil, fmt.Errorf("invalid severity %d", int8(s))
	}
	return []byte(s.String()), nil
}

// UnmarshalText decodes a severity name.
func (s *Severity) UnmarshalText(b []byte) error {
	v, err := ParseSeverity(string(b))
	if err != nil {
		return err
	}
	*s = v
	return nil
}

// ParseSeverity parses "info", "warning" (or "warn") and "error",
// case-insensitively.
func ParseSeverity(name string) (Severity, error) {
	switch strings.ToLower(name) {
	case "info", "note":
		return Info, nil
	case "warning", "warn":
		return Warning, nil
	case "error":
		return Error, nil
	}
	return 0, fmt.Errorf("unknown severity %q (want info, warning or error)", name)
}

// Direction says whether a finding concerns the request or the response.
type Direction uint8

// The directions.
const (
	InRequest Direction = iota + 1
	InResponse
)

// String returns "request" or "response".
func (d Direction) String() string {
	switch d {
	case InRequest:
		return "request"
	case InResponse:
		return "response"
	}
	return ""
}

// MarshalText encodes the direction by name.
func (d Direction) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// Part says which part of the message a finding is about.
type Part uint8

// The parts of an HTTP message a finding can point at.
const (
	PartRoute  Part = iota + 1 // method, path and api-version as a whole
	PartPath                   // a path parameter
	PartQuery                  // a query parameter
	PartHeader                 // a header
	PartBody                   // the body; Pointer says where inside it
	PartStatus                 // the response status code
)

// String returns the part's name: "route", "path", "query", "header", "body"
// or "status".
func (p Part) String() string {
	switch p {
	case PartRoute:
		return "route"
	case PartPath:
		return "path"
	case PartQuery:
		return "query"
	case PartHeader:
		return "header"
	case PartBody:
		return "body"
	case PartStatus:
		return "status"
	}
	return ""
}

// MarshalText encodes the part by name.
func (p Part) MarshalText() ([]byte, error) { return []byte(p.String()), nil }

// Finding is one contract violation (or note) found in an exchange. Findings
// are data, not errors: a validation always returns all of them.
type Finding struct {
	// Code is the stable rule id, for example "ENUM_MISMATCH".
	Code string `json:"code"`
	// Severity is the rule's severity, possibly adjusted (open enums warn).
	Severity Severity `json:"severity"`
	// Direction is request or response.
	Direction Direction `json:"direction,omitempty"`
	// Part is the part of the message the finding is about.
	Part Part `json:"in,omitempty"`
	// Name is the parameter or header name for path, query and header
	// findings, and the property name for body findings about a property.
	Name string `json:"name,omitempty"`
	// Pointer is an RFC 6901 JSON pointer into the body ("" is the whole
	// body); meaningful only when Part is PartBody.
	Pointer string `json:"pointer"`
	// Offset is the byte offset, in the body, of the value the finding is
	// about, or -1 when the finding has no position in the body.
	Offset int `json:"-"`
	// Message says specifically what is wrong. It never holds a secret value
	// and never a file position.
	Message string `json:"message"`
	// SpecRef locates the broken constraint in the contract, for example
	// "contracts/microsoft.devices/2022-12-12.json#/components/schemas/IpFilterRule/properties/action".
	SpecRef string `json:"specRef,omitempty"`
}

// Result is the outcome of validating one exchange.
type Result struct {
	// OperationID and APIVersion name the operation the exchange was routed
	// to; both are empty when routing missed.
	OperationID string
	APIVersion  string
	// Skipped is true when the call addresses a resource no contract covers
	// (the finding is OPERATION_NOT_FOUND with severity info).
	Skipped bool
	// SkipReason says why a skipped call has no contract, for example "no
	// contract for Microsoft.Web/sites"; calls with the same reason are
	// counted together.
	SkipReason string
	// Findings lists every finding, in the order the checks ran: route,
	// request parameters, request body, response status, headers, body.
	Findings []Finding

	// op is the operation the exchange was routed to, so that the
	// middleware validates a response without routing its request again.
	op *spec.Operation
}

// Max returns the highest severity among the findings, or 0 when there are none.
func (r *Result) Max() Severity {
	var m Severity
	for i := range r.Findings {
		if r.Findings[i].Severity > m {
			m = r.Findings[i].Severity
		}
	}
	return m
}
