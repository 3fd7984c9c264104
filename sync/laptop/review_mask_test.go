package laptop

import (
	"bytes"
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/fieldbench/fieldbench/sync/wire"
)

// GET /v1/review/records/{id} over HTTP: a reviewer without clearance
// gets every version masked as exports mask them (the ID question, a
// mobile number typed into the village's free text, in whatever
// spelling) with the changed answers named from the clear data, a change
// hidden by the mask included; clear=1 without clearance is 403 with the
// reason and recorded nowhere; a reviewer with clearance gets the data
// masked unless asking, and clear when asking, each clear view one row
// of the export audit and a line of the log without the data.
func TestReviewRecordMaskedOverHTTP(t *testing.T) {
	backends(t, func(t *testing.T, be backend) {
		ctx := context.Background()
		rw := newReviewWorld(t, be, false)
		id := rw.records[0]
		rec, err := rw.laptop.Record(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		// A change in digits 4 to 7 of the phone, which its mask hides, and
		// a mobile number typed into the village with spaces.
		edited := bytes.Replace(rec.Data, []byte(`"13811062547"`), []byte(`"13819062547"`), 1)
		edited = bytes.Replace(edited, []byte(`"花家地北里社区"`), []byte(`"花家地北里社区（联系人 138 1106 2547）"`), 1)
		if bytes.Equal(edited, rec.Data) || bytes.Count(edited, []byte("1106 2547")) != 1 {
			t.Fatal("the sample record has no phone or village to change")
		}
		if _, err := rw.laptop.Edit(ctx, id, edited); err != nil {
			t.Fatal(err)
		}
		if sum, err := Run(ctx, rw.laptop, rw.client, nil); err != nil || sum.Sent != 1 || sum.NeedsAttention() {
			t.Fatalf("the edit's sync: %+v %v", sum, err)
		}
		cleared, clearedToken, err := rw.cat.AddUser(ctx, "王主任", wire.RoleReviewer, township, true)
		if err != nil {
			t.Fatal(err)
		}
		audited := func() []string {
			events, err := rw.cat.ExportEvents(ctx, "")
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, e := range events {
				out = append(out, e.UserID+" "+e.Format+" "+e.File)
			}
			return out
		}
		path := "/v1/review/records/" + id
		clearOnes := []string{"110105196805140036", "110105197003220020", "13811062547", "13819062547", "1106", "9062", "张建国", "李秀梅"}

		for _, token := range []string{rw.tokens["reviewer"], clearedToken} {
			code, msg, body := rw.call(t, "GET", path, token, nil, nil)
			if code != 200 {
				t.Fatalf("show: %d %s", code, msg)
			}
			var got wire.RecordVersions
			if err := json.Unmarshal(body, &got); err != nil {
				t.Fatal(err)
			}
			if !got.Masked || len(got.Versions) != 2 {
				t.Fatalf("masked %v, %d versions", got.Masked, len(got.Versions))
			}
			for _, v := range got.Versions {
				for _, c := range clearOnes {
					if strings.Contains(string(v.Data), c) || strings.Contains(digits(string(v.Data)), c) {
						t.Errorf("version %s shows %s: %s", v.VersionID, c, v.Data)
					}
				}
				if !strings.Contains(string(v.Data), `"head_id":"110105********0036"`) {
					t.Errorf("version %s: the ID is not masked as exports mask it: %s", v.VersionID, v.Data)
				}
			}
			if !strings.Contains(string(got.Versions[1].Data), "联系人 138 **** 2547") {
				t.Errorf("the village's mobile number: %s", got.Versions[1].Data)
			}
			if c := got.Versions[1].Changed; !changedJust(c) {
				t.Errorf("changed %q, want the village and head_phone", c)
			}
			if c := got.Versions[0].Changed; c == nil || len(c) != 0 {
				t.Errorf("the first version changed %q", c)
			}
			// The labels still come: of the questions and of the choices.
			if got.Labels["head_phone"] == "" || got.Choices["m_relation"]["head"] != "户主" {
				t.Errorf("labels %v, choices %v", got.Labels, got.Choices)
			}
		}
		if a := audited(); len(a) != 0 {
			t.Fatalf("masked views were recorded: %q", a)
		}

		code, msg, body := rw.call(t, "GET", path+"?clear=1", rw.tokens["reviewer"], nil, nil)
		if code != 403 || !strings.Contains(msg, "no clearance") || bytes.Contains(body, []byte("2547")) {
			t.Errorf("clear data without clearance: %d %s", code, body)
		}
		if code, msg, _ := rw.call(t, "GET", path+"?clear=perhaps", clearedToken, nil, nil); code != 400 || !strings.Contains(msg, `clear "perhaps"`) {
			t.Errorf("clear=perhaps: %d %s", code, msg)
		}
		if a := audited(); len(a) != 0 {
			t.Fatalf("refused views were recorded: %q", a)
		}

		c := &Client{BaseURL: rw.url, Token: clearedToken}
		got, err := c.ReviewRecord(ctx, id, true)
		if err != nil {
			t.Fatal(err)
		}
		if got.Masked || !bytes.Contains(got.Versions[0].Data, []byte("13811062547")) || !bytes.Contains(got.Versions[1].Data, []byte("13819062547")) ||
			!bytes.Contains(got.Versions[1].Data, []byte("138 1106 2547")) || !changedJust(got.Versions[1].Changed) {
			t.Fatalf("the clear view: masked %v %s %q", got.Masked, got.Versions[1].Data, got.Versions[1].Changed)
		}
		if a := audited(); !slices.Equal(a, []string{cleared.ID + " review " + id}) {
			t.Errorf("the audit after one clear view: %q", a)
		}
		logged := rw.logged.String()
		if !strings.Contains(logged, "review: user "+cleared.ID+" viewed record "+id+" in clear") || !strings.Contains(logged, "403 not allowed: user") ||
			strings.Contains(logged, "2547") {
			t.Errorf("the log:\n%s", logged)
		}
	})
}

// changedJust reports whether the edit's changed answers are the village
// and the phone, and what the laptop calculated again on editing (ages,
// the member count) but nothing else.
func changedJust(c []string) bool {
	if len(c) < 2 || c[0] != "village" || c[1] != "head_phone" {
		return false
	}
	for _, p := range c[2:] {
		if !strings.HasSuffix(p, "/m_age") && !strings.HasSuffix(p, "/m_id_birth") && p != "n_members" {
			return false
		}
	}
	return true
}

// digits is s with everything but ASCII digits taken out.
func digits(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
}
