; obligation: messageInfo.fieldsCoverWord
; statement: the four fields claim every bit of the word and no two claim the same bit
; hypotheses and the negated goal: a proof is `unsat`.
; expect: unsat
; messageInfo.fieldsCoverWord
(set-info :status unknown)
(set-logic QF_BV)
(declare-fun word () (_ BitVec 64))
(assert
 (let ((?x0 (bvadd (bvadd (_ bv0 64) (bvshl (bvand (bvlshr word (_ bv12 64)) (_ bv4503599627370495 64)) (_ bv12 64))) (bvshl (bvand (bvlshr word (_ bv9 64)) (_ bv7 64)) (_ bv9 64)))))
 (let ((?x1 (bvadd (bvadd ?x0 (bvshl (bvand (bvlshr word (_ bv7 64)) (_ bv3 64)) (_ bv7 64))) (bvshl (bvand (bvlshr word (_ bv0 64)) (_ bv127 64)) (_ bv0 64)))))
 (let (($x2 (= ?x1 word)))
 (not $x2)))))
(check-sat)
