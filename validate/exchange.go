package validate

import (
	"net/http"

	"github.com/contractlint/contractlint/spec"
)

// Request is an HTTP request to validate.
type Request struct {
	Method string
	// URL is an absolute URL, a path with query, or a request-target; the
	// host is ignored.
	URL    string
	Header http.Header
	Body   []byte
}

// Response is an HTTP response to validate.
type Response struct {
	StatusCode int
	Header     http.Header
	Body       []byte
}

// Exchange is what the validator checks: a request, a response or both.
type Exchange struct {
	// Request is routed to find the operation unless Operation is set.
	Request *Request
	// Response, when set, is validated against the operation's responses.
	Response *Response
	// Operation, when set, skips routing: used for examples and bare payload
	// files whose operation is known.
	Operation *spec.Operation
	// BodyOnly limits validation to bodies (and the response status): for
	// payload files that carry a body and nothing else.
	BodyOnly bool
	// ResponseOnly skips validating the request; it is still used for routing.
	ResponseOnly bool
}
