package cnid_test

import (
	"errors"
	"fmt"

	"github.com/fieldbench/fieldbench/forms/cnid"
)

func ExampleResidentID() {
	norm, err := cnid.ResidentID("11010519491231002x")
	fmt.Println(norm, err)

	_, err = cnid.ResidentID("110105194912310021")
	fmt.Println(errors.Is(err, cnid.ErrChecksum), cnid.Message(err, "zh-Hans"))
	// Output:
	// 11010519491231002X <nil>
	// true 身份证号码校验位不正确，请逐位核对
}

func ExampleDivision() {
	code, err := cnid.Division("320571") // 苏州工业园区 before its 2023 recode
	if cnid.IsWarning(err) {
		fmt.Println("store", code, "but warn:", cnid.Message(err, "zh-Hans"))
	}
	// Output:
	// store 320571 but warn: 区划代码320571不在2023年版区划表中，请核实
}

func ExampleChecker_Check() {
	c := cnid.NewChecker() // once per process
	if err := c.CheckTags("cn_mobile,required"); err != nil {
		fmt.Println(err) // at form load time
	}
	norm, problems := c.Check("cn_mobile,required", "+86 138-1234-5678", "zh-Hans")
	fmt.Println(norm, problems)

	_, problems = c.Check("min=2,max=20", "张", "zh-Hant")
	fmt.Println(problems[0].Tag, problems[0].Message)

	fmt.Println(c.CheckTags("cn_id,nosuch"))
	// Output:
	// 13812345678 []
	// min 此項長度必須至少為2個字元
	// validate rule "nosuch" in "cn_id,nosuch": unknown rule
}
