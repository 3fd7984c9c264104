package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// The administrator's describe: the sample arrives described by its
// settings sheet, catalogued as 不予共享; a bad value is refused with its
// element named and changes nothing; the completed entry is catalogued.
func TestCatalogueDescribe(t *testing.T) {
	data := filepath.Join(t.TempDir(), "catalogue")
	code, out, _ := run(t, "", "catalogue", "publish", "--data", data, household, "--township", "110105")
	if code != 0 || strings.Contains(out, "not yet catalogued") {
		t.Fatalf("publish: %d\n%s", code, out)
	}
	code, _, errs := run(t, "", "catalogue", "describe", "household_visit", "--data", data,
		"--set", "summary=全区入户走访", "--set", "provider_uscc=91350100M000100Y44")
	if code != exitUnusable || !strings.Contains(errs, "provider_uscc") || !strings.Contains(errs, "nothing was changed") {
		t.Fatalf("a wrong credit code: %d %s", code, errs)
	}
	if _, out, _ := run(t, "", "catalogue", "describe", "household_visit", "--data", data); strings.Contains(out, "全区入户走访") {
		t.Fatalf("the refused describe stored the summary:\n%s", out)
	}
	sets := []string{"资源代码=201001/00001", "提供方=朝阳区民政局", "provider_uscc=91350100M000100Y43", "summary=全区入户走访",
		"category=基础", "format=数据库", "sharing_type=conditional", "sharing_condition=仅限民政部门", "sharing_method=共享平台",
		"update_cycle=每月", "issued=2026-03-01"}
	args := []string{"catalogue", "describe", "household_visit", "--data", data}
	for _, s := range sets {
		args = append(args, "--set", s)
	}
	if code, out, errs := run(t, "", args...); code != 0 || !strings.Contains(out, "shared as 有条件共享; catalogued") {
		t.Fatalf("describe: %d\n%s%s", code, out, errs)
	}
	if _, out, _ := run(t, "", "catalogue", "describe", "--data", data); !strings.Contains(out, "有条件共享") || strings.Contains(out, "not yet") {
		t.Fatalf("the list:\n%s", out)
	}
	if code, _, errs := run(t, "", "catalogue", "describe", "nope", "--data", data); code != exitUnusable || !strings.Contains(errs, "no form") {
		t.Fatalf("an unknown form: %d %s", code, errs)
	}
}

// A form that does not load is refused with one located line per problem
// and nothing published.
func TestCataloguePublishRefusesBadForm(t *testing.T) {
	data := filepath.Join(t.TempDir(), "catalogue")
	code, _, errs := run(t, "", "catalogue", "publish", "--data", data, "../../testdata/xlsform/UCL_Biomass_Plot_Form.xlsx", "--township", "110105")
	lines := strings.Split(strings.TrimSpace(errs), "\n")
	if code != exitUnusable || len(lines) < 2 || !strings.HasPrefix(lines[1], "UCL_Biomass_Plot_Form.xlsx:survey:") {
		t.Fatalf("publish of a form that does not load: %d\n%s", code, errs)
	}
	if _, out, _ := run(t, "", "catalogue", "describe", "--data", data); strings.Contains(out, "UCL") {
		t.Fatalf("the refused form is listed:\n%s", out)
	}
}
