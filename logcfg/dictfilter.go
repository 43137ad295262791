package logcfg

import "fmt"

// validateFilters checks that the filters of a config built in code are
// defined once each and that every logger and handler names defined ones
// (a parsed config always passes).
func validateFilters(cfg *Config, at func(Pos, string, error) error) error {
	fs := make(map[string]bool, len(cfg.Filters))
	for _, f := range cfg.Filters {
		if fs[f.Key] {
			return at(f.Pos, "", fmt.Errorf("%w: filter %q is defined twice", ErrDuplicate, f.Key))
		}
		fs[f.Key] = true
	}
	check := func(p Pos, keys []string) error {
		for _, k := range keys {
			if !fs[k] {
				return at(p, "filters", fmt.Errorf("%w: filter %q is not defined", ErrUndefined, k))
			}
		}
		return nil
	}
	for _, h := range cfg.Handlers {
		if err := check(h.Pos, h.Filters); err != nil {
			return err
		}
	}
	for _, l := range cfg.Loggers {
		if err := check(l.Pos, l.Filters); err != nil {
			return err
		}
	}
	return nil
}

// filterChanges lists, for a levels-only apply, how next's filters
// differ from the running config cur's: they are kept as they run.
func filterChanges(cur, next *Config) []string {
	var ignored []string
	curF := make(map[string]string, len(cur.Filters))
	for _, f := range cur.Filters {
		curF[f.Key] = f.Name
	}
	for _, f := range next.Filters {
		if name, ok := curF[f.Key]; !ok || name != f.Name {
			ignored = append(ignored, fmt.Sprintf("filter %q: name %q not applied (levels-only)", f.Key, f.Name))
		}
	}
	return ignored
}
