package main

import (
	"io"
	"net/http"
	"os"
	"strings"

	"github.com/contractlint/contractlint/lint"
	"github.com/contractlint/contractlint/validate"
	"github.com/urfave/cli/v2"
)

func validateCommand() *cli.Command {
	flags := []cli.Flag{
		&cli.StringFlag{Name: "method", Aliases: []string{"X"}, Value: "GET", Usage: "request `METHOD`"},
		&cli.StringFlag{Name: "url", Aliases: []string{"u"}, Usage: "request `URL` (absolute or path with query; the host is ignored)"},
		&cli.StringSliceFlag{Name: "header", Aliases: []string{"H"}, Usage: "request header `NAME: VALUE` (repeatable)"},
		&cli.StringFlag{Name: "body", Aliases: []string{"d"}, Usage: "request body: JSON text, @FILE, or - for standard input"},
		&cli.IntFlag{Name: "response-status", Usage: "validate a response with this `STATUS` code too"},
		&cli.StringSliceFlag{Name: "response-header", Usage: "response header `NAME: VALUE` (repeatable)"},
		&cli.StringFlag{Name: "response-body", Usage: "response body: JSON text, @FILE, or - for standard input"},
	}
	for _, f := range lintFlags() {
		switch f.Names()[0] {
		case "input", "jobs", "direction", "status":
			continue
		}
		flags = append(flags, f)
	}
	return &cli.Command{
		Name:  "validate",
		Usage: "validate one request (and optionally its response) given on the command line",
		Flags: flags,
		Action: func(c *cli.Context) error {
			if c.NArg() > 0 {
				return usagef("validate takes no arguments; give the call with --method, --url, --header and --body")
			}
			if c.String("url") == "" && c.String("operation") == "" {
				return usagef("validate needs --url (or --operation with --api-version to check bodies only)")
			}
			setup, err := newLintSetup(c)
			if err != nil {
				return err
			}
			ex := &lint.Exchange{Index: 1, Pos: lint.Pos{Line: 1, Column: 1}}
			// Findings are placed in the file each body came from; those
			// about the call itself in the request body's file, if any.
			file, respName := "command line", "command line"
			reqBody, reqFile, err := readBodyArg(c, c.String("body"))
			if err != nil {
				return err
			}
			if reqFile != "" {
				file = reqFile
			}
			h, err := parseHeaders(c.StringSlice("header"))
			if err != nil {
				return err
			}
			ex.Request = &validate.Request{Method: strings.ToUpper(c.String("method")), URL: c.String("url"), Header: h, Body: reqBody}
			ex.RequestBody = lint.BodySource{Kind: lint.BodyRaw, Start: lint.Pos{Line: 1, Column: 1}}
			if c.String("url") == "" {
				ex.OperationID, ex.APIVersion, ex.BodyOnly = c.String("operation"), c.String("api-version"), true
			}
			if st := c.Int("response-status"); st != 0 {
				body, respFile, err := readBodyArg(c, c.String("response-body"))
				if err != nil {
					return err
				}
				if respFile != "" {
					respName = respFile
				}
				rh, err := parseHeaders(c.StringSlice("response-header"))
				if err != nil {
					return err
				}
				ex.Response = &validate.Response{StatusCode: st, Header: rh, Body: body}
				ex.ResponseBody = lint.BodySource{Kind: lint.BodyRaw, Start: lint.Pos{Line: 1, Column: 1}}
			} else if c.String("response-body") != "" {
				return usagef("--response-body needs --response-status")
			}
			rep := lint.CheckExchange(setup.opts, file, ex)
			for i := range rep.Findings {
				if f := &rep.Findings[i]; f.Direction == validate.InResponse && f.Part == validate.PartBody && f.Offset >= 0 {
					f.File = respName
				}
			}
			if err := writeReport(c, setup.formatter, rep); err != nil {
				return err
			}
			if m := rep.MaxSeverity(); m != 0 && m >= setup.fail {
				return exitStatus(exitFindings)
			}
			return nil
		},
	}
}

// readBodyArg reads a body given as text, @FILE or - (standard input); it
// returns the file name when the body came from a file.
func readBodyArg(c *cli.Context, arg string) ([]byte, string, error) {
	switch {
	case arg == "":
		return nil, "", nil
	case arg == "-":
		b, err := io.ReadAll(c.App.Reader)
		return b, "", err
	case strings.HasPrefix(arg, "@"):
		b, err := os.ReadFile(arg[1:])
		if err != nil {
			return nil, "", err
		}
		return b, arg[1:], nil
	}
	return []byte(arg), "", nil
}

func parseHeaders(kvs []string) (http.Header, error) {
	h := http.Header{}
	for _, kv := range kvs {
		k, v, ok := strings.Cut(kv, ":")
		if !ok || strings.TrimSpace(k) == "" {
			return nil, usagef("header %q: want NAME: VALUE", kv)
		}
		h.Add(strings.TrimSpace(k), strings.TrimSpace(v))
	}
	return h, nil
}
