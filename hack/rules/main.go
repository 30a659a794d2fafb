// Command rules-check validates Prometheus rule files the way `promtool check rules` does: the
// YAML structure, every PromQL expression, and the label and annotation templates, with
// Prometheus's own parser (model/rulefmt). It prints each rule group and rule count, or every
// error, and exits 1 on any error.
//
// promtool itself is not built here: it links every service-discovery SDK of Prometheus, several
// times the code of this parser, and CI builds its tools from source.
package main

import (
	"fmt"
	"log/slog"
	"os"

	"github.com/prometheus/common/model"
	"github.com/prometheus/prometheus/model/rulefmt"
	"github.com/prometheus/prometheus/promql/parser"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: rules-check FILE...")
		os.Exit(2)
	}
	failed := false
	for _, file := range os.Args[1:] {
		// As promtool check rules does by default: unknown fields are errors, UTF-8 metric names.
		groups, errs := rulefmt.ParseFile(file, false, model.UTF8Validation,
			parser.NewParser(parser.Options{}), slog.New(slog.DiscardHandler))
		for _, err := range errs {
			fmt.Fprintf(os.Stderr, "%s: %v\n", file, err)
			failed = true
		}
		if groups == nil {
			continue
		}
		for _, g := range groups.Groups {
			fmt.Printf("%s: group %q, %d rules\n", file, g.Name, len(g.Rules))
		}
	}
	if failed {
		os.Exit(1)
	}
}
