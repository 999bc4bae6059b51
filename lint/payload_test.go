package lint

import (
	"testing"

	"github.com/contractlint/contractlint/validate"
)

func TestReadPayload(t *testing.T) {
	data := readFixture(t, "payload-cert.json")
	if got := DetectFormat("payload-cert.json", data); got != FormatPayload {
		t.Fatalf("DetectFormat = %q", got)
	}
	reg := embedded(t)
	tests := []struct {
		name    string
		po      PayloadOptions
		request bool
		status  int
		problem string
	}{
		{"request", PayloadOptions{OperationID: "DpsCertificate_CreateOrUpdate", APIVersion: "2022-12-12", Direction: "request"}, true, 0, ""},
		{"default direction with a body", PayloadOptions{OperationID: "dpscertificate_createorupdate", APIVersion: "2022-12-12"}, true, 0, ""},
		{"default direction without a body", PayloadOptions{OperationID: "DpsCertificate_Get", APIVersion: "2022-12-12"}, false, 200, ""},
		{"first 2xx", PayloadOptions{OperationID: "Certificate_CreateOrUpdate", Direction: "Response"}, false, 200, ""},
		{"explicit status", PayloadOptions{OperationID: "DpsCertificate_Get", APIVersion: "2022-12-12", Direction: "response", Status: 404}, false, 404, ""},
		{"no operation", PayloadOptions{}, false, 0, validate.CodeUnresolvedOperation},
		{"unknown operation", PayloadOptions{OperationID: "Nope"}, false, 0, validate.CodeUnresolvedOperation},
		{"several versions", PayloadOptions{OperationID: "DpsCertificate_Get"}, false, 0, validate.CodeUnresolvedOperation},
		{"bad direction", PayloadOptions{OperationID: "DpsCertificate_Get", APIVersion: "2022-12-12", Direction: "sideways"}, false, 0, validate.CodeUnresolvedOperation},
	}
	for _, tt := range tests {
		xs, err := readAll(t, FormatPayload, data, ReadOptions{Registry: reg, Payload: tt.po})
		checkInvariants(t, data, xs, err)
		if err != nil || len(xs) != 1 {
			t.Fatalf("%s: %d exchanges, %v", tt.name, len(xs), err)
		}
		x := xs[0]
		if tt.problem != "" {
			if len(x.Problems) != 1 || x.Problems[0].Code != tt.problem || x.Request != nil || x.Response != nil {
				t.Errorf("%s: %+v", tt.name, x)
			}
			continue
		}
		if !x.BodyOnly || x.Operation == nil || x.OperationID != x.Operation.ID || len(x.Problems) != 0 {
			t.Errorf("%s: %+v", tt.name, x)
		}
		if tt.request {
			if x.Request == nil || string(x.Request.Body) != string(data) || x.Request.Method != x.Operation.Method || x.Response != nil {
				t.Errorf("%s: request %+v", tt.name, x.Request)
			}
		} else if x.Response == nil || x.Response.StatusCode != tt.status || string(x.Response.Body) != string(data) || x.Request != nil {
			t.Errorf("%s: response %+v", tt.name, x.Response)
		}
	}
}

// TestReadPayloadInvalidJSON: invalid JSON is the validator's to report.
func TestReadPayloadInvalidJSON(t *testing.T) {
	data := []byte("\xef\xbb\xbf{\"a\": ")
	xs, err := readAll(t, FormatPayload, data, ReadOptions{Registry: embedded(t), Payload: PayloadOptions{OperationID: "DpsCertificate_Get", APIVersion: "2022-12-12"}})
	checkInvariants(t, data, xs, err)
	if err != nil || len(xs) != 1 || string(xs[0].Response.Body) != `{"a": ` || xs[0].ResponseBody.Start != (Pos{3, 1, 1}) {
		t.Fatalf("%v %+v", err, xs)
	}
}

func FuzzReadPayload(f *testing.F) {
	f.Add([]byte(`[1, {"a": null}]`))
	fuzzRead(f, FormatPayload, "payload-cert.json")
}
