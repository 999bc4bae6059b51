package validate

import (
	"bytes"
	"io"
	"net/http"
)

// FromHTTPRequest returns the Request to validate for r. It reads r's body
// and puts back a reader that yields the same bytes, so r can still be sent
// or served. At most limit+1 bytes are read (limit <= 0 means
// DefaultMaxBodySize); a longer body is returned truncated to that, which the
// validator reports as BODY_TOO_LARGE, and r.Body still yields all of it.
func FromHTTPRequest(r *http.Request, limit int) (*Request, error) {
	body, restored, err := readRestore(r.Body, limit)
	if err != nil {
		return nil, err
	}
	r.Body = restored
	u := r.URL.RequestURI()
	if r.URL.IsAbs() {
		u = r.URL.String()
	}
	return &Request{Method: r.Method, URL: u, Header: r.Header, Body: body}, nil
}

// FromHTTPResponse returns the Response to validate for resp, reading and
// restoring its body the way FromHTTPRequest does.
func FromHTTPResponse(resp *http.Response, limit int) (*Response, error) {
	body, restored, err := readRestore(resp.Body, limit)
	if err != nil {
		return nil, err
	}
	resp.Body = restored
	return &Response{StatusCode: resp.StatusCode, Header: resp.Header, Body: body}, nil
}

// ValidateHTTP validates r and, when resp is not nil, its response. Both
// bodies are restored for further use. The error is an I/O error reading a
// body, never a finding.
func (v *Validator) ValidateHTTP(r *http.Request, resp *http.Response) (Result, error) {
	limit := v.cfg.maxBody
	req, err := FromHTTPRequest(r, limit)
	if err != nil {
		return Result{}, err
	}
	ex := Exchange{Request: req}
	if resp != nil {
		if ex.Response, err = FromHTTPResponse(resp, limit); err != nil {
			return Result{}, err
		}
	}
	return v.Validate(&ex), nil
}

// readRestore reads up to limit+1 bytes of rc and returns them with a
// replacement body that yields everything rc would have.
func readRestore(rc io.ReadCloser, limit int) ([]byte, io.ReadCloser, error) {
	if rc == nil || rc == http.NoBody {
		return nil, rc, nil
	}
	if limit <= 0 {
		limit = DefaultMaxBodySize
	}
	b, err := io.ReadAll(io.LimitReader(rc, int64(limit)+1))
	if err != nil {
		return nil, nil, err
	}
	if len(b) <= limit {
		rc.Close()
		return b, io.NopCloser(bytes.NewReader(b)), nil
	}
	return b, struct {
		io.Reader
		io.Closer
	}{io.MultiReader(bytes.NewReader(b), rc), rc}, nil
}
