package validate

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestValidateHTTP(t *testing.T) {
	v := embeddedValidator(t, WithMaxBodySize(64))
	body := `{"properties":{"certificate":"####"}}`
	r := httptest.NewRequest("PUT", dpsCert22, strings.NewReader(body))
	resp := &http.Response{StatusCode: 201, Header: http.Header{}, Body: io.NopCloser(strings.NewReader(`{"id":"x"}`))}
	res, err := v.ValidateHTTP(r, resp)
	if err != nil {
		t.Fatal(err)
	}
	got := codesOf(res.Findings)
	want := []string{"INVALID_FORMAT /properties/certificate", "INVALID_RESPONSE_CODE "}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("findings %q, want %q", got, want)
	}
	if b, _ := io.ReadAll(r.Body); string(b) != body {
		t.Errorf("request body not restored: %q", b)
	}
	if b, _ := io.ReadAll(resp.Body); string(b) != `{"id":"x"}` {
		t.Errorf("response body not restored: %q", b)
	}

	// A body over the limit is reported and still reaches the reader whole.
	big := `{"properties":{"certificate":"` + strings.Repeat("QUFB", 40) + `"}}`
	r = httptest.NewRequest("PUT", dpsCert22, strings.NewReader(big))
	res, err = v.ValidateHTTP(r, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := codesOf(res.Findings); len(got) != 1 || got[0] != "BODY_TOO_LARGE " {
		t.Errorf("findings %q, want BODY_TOO_LARGE", got)
	}
	if b, _ := io.ReadAll(r.Body); !bytes.Equal(b, []byte(big)) {
		t.Errorf("oversized body not restored whole: %d bytes", len(b))
	}

	// No body at all.
	r = httptest.NewRequest("GET", apimCert, nil)
	if res, err = v.ValidateHTTP(r, nil); err != nil || len(res.Findings) != 0 {
		t.Errorf("GET: %v %q", err, codesOf(res.Findings))
	}
}
