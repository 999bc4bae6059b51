package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/contractlint/contractlint/lint"
	"github.com/contractlint/contractlint/validate"
	"github.com/urfave/cli/v2"
)

func lintFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "format", Aliases: []string{"f"}, Value: "text", Usage: "output `FORMAT`: " + strings.Join(lint.FormatNames(), ", ")},
		&cli.StringFlag{Name: "output", Aliases: []string{"o"}, Usage: "write the report to `FILE` instead of standard output"},
		&cli.StringFlag{Name: "input", Usage: "read every input as `FORMAT` (example, traffic, har, recording, http, payload, ndjson) instead of detecting it"},
		&cli.StringFlag{Name: "fail-severity", Value: "error", Usage: "exit 1 when a finding is at least this `SEVERITY` (error, warning, info)"},
		&cli.StringFlag{Name: "config", Usage: "read configuration from `FILE` instead of the nearest " + lint.ConfigName},
		&cli.BoolFlag{Name: "no-config", Usage: "ignore any " + lint.ConfigName},
		&cli.StringFlag{Name: "operation", Usage: "operationId of bare payload files (and of examples without one)"},
		&cli.StringFlag{Name: "api-version", Usage: "api-version of bare payload files"},
		&cli.StringFlag{Name: "direction", Usage: "whether bare payload files are a request or a response body"},
		&cli.IntFlag{Name: "status", Usage: "status code of bare response payload files (default: the operation's first 2xx)"},
		&cli.BoolFlag{Name: "strict-enums", Usage: "report values outside extensible enums as errors, not warnings"},
		&cli.StringFlag{Name: "unsupported-api-version", Usage: "severity of API_VERSION_NOT_SUPPORTED (error, warning, info or off)"},
		&cli.StringSliceFlag{Name: "severity", Usage: "set a code's severity, `CODE=LEVEL` (error, warning, info or off; repeatable)"},
		&cli.IntFlag{Name: "jobs", Usage: "files read in parallel (default: number of CPUs)"},
		&cli.IntFlag{Name: "max-body-size", Usage: "largest body validated, in bytes (default 10 MiB)"},
		&cli.IntFlag{Name: "max-depth", Usage: "deepest nesting validated (default 128)"},
		&cli.IntFlag{Name: "max-findings", Usage: "most findings reported per exchange (default 1000)"},
		contractFlag,
	}
}

func lintCommand() *cli.Command {
	return &cli.Command{
		Name:      "lint",
		Usage:     "validate payload files, x-ms-examples, HAR, recordings, .http files and NDJSON against the contracts",
		ArgsUsage: "PATH... (files, directories, - for standard input)",
		Flags:     lintFlags(),
		Action: func(c *cli.Context) error {
			if c.NArg() == 0 {
				return usagef("lint needs at least one PATH (a file, a directory, or - for standard input)")
			}
			// Flags after the first PATH are not parsed: without this check
			// "lint . --format sarif" would lint files named "--format" and
			// "sarif" and print text.
			for _, a := range c.Args().Slice() {
				if len(a) > 1 && a[0] == '-' {
					return usagef("%q after a PATH: give flags before the paths (a file whose name starts with - can be given as ./%s)", a, a)
				}
			}
			setup, err := newLintSetup(c)
			if err != nil {
				return err
			}
			opts := setup.opts
			opts.Stdin = c.App.Reader
			opts.Progress = progressWriter(c.App.ErrWriter)
			rep, err := lint.Run(c.Context, c.Args().Slice(), opts)
			if err != nil {
				return err
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

// lintSetup is what lint and validate share: the validator, the formatter,
// the fail threshold and the runner options.
type lintSetup struct {
	opts      lint.Options
	formatter lint.Formatter
	fail      validate.Severity
}

func newLintSetup(c *cli.Context) (*lintSetup, error) {
	s := &lintSetup{}
	var err error
	if s.formatter, err = lint.FormatterFor(c.String("format")); err != nil {
		return nil, usageError{err}
	}
	if s.fail, err = validate.ParseSeverity(c.String("fail-severity")); err != nil {
		return nil, usageError{fmt.Errorf("--fail-severity: %w", err)}
	}
	var cfg *lint.Config
	switch {
	case c.Bool("no-config"):
	case c.String("config") != "":
		if cfg, err = lint.LoadConfig(c.String("config")); err != nil {
			return nil, err
		}
	default:
		wd, _ := os.Getwd()
		if cfg, err = lint.FindConfig(wd); err != nil {
			return nil, err
		}
	}
	sev, off := cfg.Rules()
	setSeverity := func(code, level string) error {
		if _, ok := validate.LookupRule(code); !ok {
			return usagef("unknown code %q (see contractlint rules)", code)
		}
		if strings.EqualFold(level, "off") {
			off[code] = true
			delete(sev, code)
			return nil
		}
		v, err := validate.ParseSeverity(level)
		if err != nil {
			return usageError{err}
		}
		sev[code] = v
		delete(off, code)
		return nil
	}
	if l := c.String("unsupported-api-version"); l != "" {
		if err := setSeverity(validate.CodeAPIVersionUnsupported, l); err != nil {
			return nil, err
		}
	}
	for _, kv := range c.StringSlice("severity") {
		code, level, ok := strings.Cut(kv, "=")
		if !ok {
			return nil, usagef("--severity %q: want CODE=LEVEL", kv)
		}
		if err := setSeverity(strings.TrimSpace(code), strings.TrimSpace(level)); err != nil {
			return nil, err
		}
	}
	if d := c.String("direction"); d != "" && d != "request" && d != "response" {
		return nil, usagef("--direction must be request or response, not %q", d)
	}
	var input lint.Format
	if in := c.String("input"); in != "" {
		if input, err = lint.ParseFormat(in); err != nil {
			return nil, usageError{fmt.Errorf("--input: %w", err)}
		}
	}
	reg, err := registry(c)
	if err != nil {
		return nil, err
	}
	vopts := []validate.Option{validate.WithStrictEnums(c.Bool("strict-enums") || (cfg != nil && cfg.StrictEnums))}
	limits := lint.Limits{}
	if cfg != nil {
		limits = cfg.Limits
	}
	if n := c.Int("max-body-size"); n > 0 {
		limits.MaxBodySize = n
	}
	if n := c.Int("max-depth"); n > 0 {
		limits.MaxDepth = n
	}
	if n := c.Int("max-findings"); n > 0 {
		limits.MaxFindings = n
	}
	if limits.MaxBodySize > 0 {
		vopts = append(vopts, validate.WithMaxBodySize(limits.MaxBodySize))
	}
	if limits.MaxDepth > 0 {
		vopts = append(vopts, validate.WithMaxDepth(limits.MaxDepth))
	}
	if limits.MaxFindings > 0 {
		vopts = append(vopts, validate.WithMaxFindings(limits.MaxFindings))
	}
	v, err := validate.New(reg, vopts...)
	if err != nil {
		return nil, err
	}
	s.opts = lint.Options{
		Validator: v,
		Input:     input,
		Payload: lint.PayloadOptions{
			OperationID: c.String("operation"),
			APIVersion:  c.String("api-version"),
			Direction:   c.String("direction"),
			Status:      c.Int("status"),
		},
		Config:   cfg,
		Severity: sev,
		Off:      off,
		Jobs:     c.Int("jobs"),
	}
	return s, nil
}

// writeReport formats rep to --output or standard output. The report is
// rendered in memory first so that a failing formatter never leaves half a
// document behind.
func writeReport(c *cli.Context, f lint.Formatter, rep *lint.Report) error {
	var buf bytes.Buffer
	if err := f(&buf, rep); err != nil {
		return err
	}
	if out := c.String("output"); out != "" {
		return os.WriteFile(out, buf.Bytes(), 0o644)
	}
	_, err := c.App.Writer.Write(buf.Bytes())
	return err
}

// progressWriter returns w when it is a terminal, so that progress lines
// never end up in a log or a pipe.
func progressWriter(w io.Writer) io.Writer {
	f, ok := w.(*os.File)
	if !ok {
		return nil
	}
	info, err := f.Stat()
	if err != nil || info.Mode()&os.ModeCharDevice == 0 {
		return nil
	}
	return w
}
