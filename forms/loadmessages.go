package forms

import (
	"errors"
	"fmt"
	"strings"

	"github.com/fieldbench/fieldbench/forms/cnid"
	"github.com/fieldbench/fieldbench/forms/expr"
)

// loadKey names a message of the form loader or the record readers.
type loadKey string

// loadText is such a message before it is put into words: a key and its
// arguments. An argument that is a loadText itself (a reason, a "did you
// mean" hint) is put into the same language, so a message built from parts
// never mixes languages. Its String is the English, which is what Error
// gives: logs and tests read the English whatever the interface language.
type loadText struct {
	key  loadKey
	args []any
}

func loadMsg(key loadKey, args ...any) loadText { return loadText{key: key, args: args} }

func (t loadText) String() string { return t.in(LangEn) }

// in puts the message into one of the interface languages.
func (t loadText) in(lang string) string {
	if t.key == "" {
		return ""
	}
	m, ok := loadMessages[t.key]
	if !ok {
		m, ok = recordMessages[t.key]
	}
	if !ok {
		return string(t.key)
	}
	if len(t.args) == 0 {
		return In(m, lang)
	}
	args := make([]any, len(t.args))
	for j, a := range t.args {
		switch sub := a.(type) {
		case loadText:
			a = sub.in(lang)
		case interface{ Texts() [3]string }: // an expression's syntax error
			a = In(sub.Texts(), lang)
		}
		args[j] = a
	}
	return fmt.Sprintf(In(m, lang), args...)
}

// Localized is the located message in the interface language lang
// (zh-Hans, zh-Hant, en, or what LANG says): the location stays as it is,
// so a person can still find the cell.
func (e *LoadError) Localized(lang string) string {
	return e.Loc.String() + ": " + e.Message(lang)
}

// Message is the message without its location, in lang.
func (e *LoadError) Message(lang string) string {
	if e.text.key == "" {
		return e.Msg
	}
	return e.text.in(lang)
}

// Key names the message ("" for one made without a key), so tests and
// tools can tell problems apart whatever the language.
func (e *LoadError) Key() string { return string(e.text.key) }

// Localized is every problem, one per line, in lang.
func (es LoadErrors) Localized(lang string) string {
	msgs := make([]string, len(es))
	for i, e := range es {
		msgs[i] = e.Localized(lang)
	}
	return strings.Join(msgs, "\n")
}

func newLoadError(loc Location, key loadKey, args ...any) *LoadError {
	t := loadMsg(key, args...)
	return &LoadError{Loc: loc, Msg: t.in(LangEn), text: t}
}

// didYouMeanText is the hint after a misspelt name, or nothing when no known
// name is close.
func didYouMeanText(guess string) loadText {
	if guess == "" {
		return loadText{}
	}
	return loadMsg(ldDidYouMean, guess)
}

// The loader's messages. Arguments are mostly names and values from the
// form, already quoted (quote) where the English quotes them.
const (
	// Reading the file.
	ldXLSXDamaged            loadKey = "xlsx_damaged"
	ldXLSXUnreadable         loadKey = "xlsx_unreadable"
	ldSheetUnreadable        loadKey = "sheet_unreadable"
	ldMarkdownTooLong        loadKey = "markdown_too_long"
	ldMarkdownSheetTwice     loadKey = "markdown_sheet_twice"
	ldMarkdownTooManySheets  loadKey = "markdown_too_many_sheets"
	ldMarkdownRowBeforeSheet loadKey = "markdown_row_before_sheet"

	// Sheets and settings.
	ldNoSheets             loadKey = "no_sheets"
	ldNoSurveyDidYouMean   loadKey = "no_survey_did_you_mean"
	ldNoSurveySheets       loadKey = "no_survey_sheets"
	ldFileNameNotFormID    loadKey = "file_name_not_form_id"
	ldFormIDNotName        loadKey = "form_id_not_name"
	ldFormIDChars          loadKey = "form_id_chars"
	ldASpace               loadKey = "a_space"
	ldBadFormID            loadKey = "bad_form_id"
	ldSettingsOneRow       loadKey = "settings_one_row"
	ldSettingNoHeader      loadKey = "setting_no_header"
	ldSettingTwice         loadKey = "setting_twice"
	ldSettingBoth          loadKey = "setting_both"
	ldPublicKey            loadKey = "public_key"
	ldAllowDupChoices      loadKey = "allow_choice_duplicates"
	ldAddNoneOption        loadKey = "add_none_option"
	ldOmitInstanceID       loadKey = "omit_instance_id"
	ldExternalAlsoChoices  loadKey = "external_also_choices"
	ldDefaultLanguage      loadKey = "default_language"
	ldOSMSheet             loadKey = "osm_sheet"
	ldUnknownSheet         loadKey = "unknown_sheet"
	ldMoreWarnings         loadKey = "more_warnings"
	ldMoreProblems         loadKey = "more_problems"
	ldDidYouMean           loadKey = "did_you_mean"
	ldColumnsSame          loadKey = "columns_same"
	ldHeadersSameMeaning   loadKey = "headers_same_meaning"
	ldUnheaded             loadKey = "unheaded"
	ldColumnIgnored        loadKey = "column_ignored"
	ldChoicesNoColumn      loadKey = "choices_no_column"
	ldChoiceRowEmpty       loadKey = "choice_row_empty"
	ldChoiceNoList         loadKey = "choice_no_list"
	ldChoiceNoName         loadKey = "choice_no_name"
	ldChoiceDup            loadKey = "choice_dup"
	ldChoiceSpace          loadKey = "choice_space"
	ldListNotExternal      loadKey = "list_not_external"
	ldNoExternalSheet      loadKey = "no_external_sheet"
	ldListNotOnExternal    loadKey = "list_not_on_external"
	ldListIsExternal       loadKey = "list_is_external"
	ldNoChoicesSheet       loadKey = "no_choices_sheet"
	ldMeantChoices         loadKey = "meant_choices"
	ldListNotFound         loadKey = "list_not_found"
	ldOrOtherBuiltin       loadKey = "or_other_builtin"
	ldOrOtherEmpty         loadKey = "or_other_empty"
	ldOrOtherTaken         loadKey = "or_other_taken"
	ldLoopNoList           loadKey = "loop_no_list"
	ldSurveyEmpty          loadKey = "survey_empty"
	ldSurveyNoColumn       loadKey = "survey_no_column"
	ldUnknownColumn        loadKey = "unknown_column"
	ldNoEnd                loadKey = "no_end"
	ldRowDisabled          loadKey = "row_disabled"
	ldRowEmpty             loadKey = "row_empty"
	ldNoType               loadKey = "no_type"
	ldBadType              loadKey = "bad_type"
	ldExAppearance         loadKey = "ex_appearance"
	ldNoBegin              loadKey = "no_begin"
	ldWrongEnd             loadKey = "wrong_end"
	ldNoName               loadKey = "no_name"
	ldBadName              loadKey = "bad_name"
	ldReservedName         loadKey = "reserved_name"
	ldNameTaken            loadKey = "name_taken"
	ldScopeForm            loadKey = "scope_form"
	ldScopeRepeat          loadKey = "scope_repeat"
	ldScopeGroup           loadKey = "scope_group"
	ldNameCase             loadKey = "name_case"
	ldParameters           loadKey = "parameters"
	ldValidateNoAnswer     loadKey = "validate_no_answer"
	ldSensitiveBad         loadKey = "sensitive_bad"
	ldSensitiveNoAnswer    loadKey = "sensitive_no_answer"
	ldPlaceholder          loadKey = "placeholder"
	ldChoiceFilterNoSelect loadKey = "choice_filter_not_select"
	ldChoiceFilterOrOther  loadKey = "choice_filter_or_other"
	ldRepeatCountIgnored   loadKey = "repeat_count_ignored"
	ldNoEffectOnContainer  loadKey = "no_effect_on_container"
	ldCalculateEmpty       loadKey = "calculate_empty"
	ldWarningMessageAlone  loadKey = "warning_message_alone"
	ldWarningNoAnswer      loadKey = "warning_no_answer"
	ldWhatType             loadKey = "what_type"
	ldWhatMeta             loadKey = "what_meta"
	ldWhatCalculated       loadKey = "what_calculated"

	// Why a column is ignored or refused.
	ldWhyMedia        loadKey = "why_media"
	ldWhyInstance     loadKey = "why_instance"
	ldWhyBindAttr     loadKey = "why_bind_attr"
	ldWhyGPSAccuracy  loadKey = "why_gps_accuracy"
	ldWhyDisplayAttr  loadKey = "why_display_attr"
	ldWhyGuidanceHint loadKey = "why_guidance_hint"
	ldWhyAutoplay     loadKey = "why_autoplay"
	ldWhyRows         loadKey = "why_rows"
	ldWhyButtonText   loadKey = "why_button_text"
	ldWhyNoAppError   loadKey = "why_no_app_error"
	ldWhyListName     loadKey = "why_list_name"
	ldWhyIntent       loadKey = "why_intent"
	ldWhyPreload      loadKey = "why_preload"
	ldWhyBindType     loadKey = "why_bind_type"
	ldWhyLangSuffix   loadKey = "why_lang_suffix"
	ldWhyChoiceLang   loadKey = "why_choice_lang"

	// The type column.
	ldTypeEmpty             loadKey = "type_empty"
	ldTypeBgAudio           loadKey = "type_background_audio"
	ldTypeInclude           loadKey = "type_include"
	ldAuditName             loadKey = "audit_name"
	ldBgGeopointTrigger     loadKey = "background_geopoint_trigger"
	ldBgGeopointCalculation loadKey = "background_geopoint_calculation"
	ldTriggerRefs           loadKey = "trigger_refs"
	ldTriggerNotAnswered    loadKey = "trigger_not_answered"
	ldTypeNeedsList         loadKey = "type_needs_list"
	ldTypeUnknown           loadKey = "type_unknown"
	ldBeginNeedsKind        loadKey = "begin_needs_kind"
	ldLoopSyntax            loadKey = "loop_syntax"
	ldAfterBegin            loadKey = "after_begin"
	ldAfterEnd              loadKey = "after_end"
	ldSelectFromAnswers     loadKey = "select_from_answers"
	ldChoicesFromNoAnswer   loadKey = "choices_from_no_answer"
	ldAfterList             loadKey = "after_list"
	ldExprSyntax            loadKey = "expr_syntax"
	ldExprParse             loadKey = "expr_parse"
	ldRefAmbiguous          loadKey = "ref_ambiguous"
	ldRefUnknown            loadKey = "ref_unknown"
	ldValidateRule          loadKey = "validate_rule"
	ldValidateRuleIn        loadKey = "validate_rule_in"
	ldCycle                 loadKey = "cycle"
	ldNameTakenInGroup      loadKey = "name_taken_in_group"
)

// exprError is an expression that does not parse. The parser's own detail
// stays English (it quotes XPath, and there are dozens of them); the frame
// and the column are in the reader's language.
func exprError(loc Location, src string, err error) *LoadError {
	var se *expr.SyntaxError
	if errors.As(err, &se) {
		col := se.Col
		if col <= 0 {
			col = se.Pos + 1
		}
		return newLoadError(loc, ldExprSyntax, src, col, se)
	}
	return newLoadError(loc, ldExprParse, src, err)
}

// tagError is a validate column that cannot be used; the reason, from the
// validator, stays English.
func tagError(loc Location, err error) *LoadError {
	var te *cnid.TagError
	if !errors.As(err, &te) {
		return &LoadError{Loc: loc, Msg: err.Error()}
	}
	if te.Tag == strings.TrimSpace(te.Tags) {
		return newLoadError(loc, ldValidateRule, te.Tag, te.Why)
	}
	return newLoadError(loc, ldValidateRuleIn, te.Tag, te.Tags, te.Why)
}
