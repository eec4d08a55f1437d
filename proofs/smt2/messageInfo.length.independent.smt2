; obligation: messageInfo.length.independent
; statement: writing length into any message-info word leaves every other field's bits unchanged
; hypotheses and the negated goal: a proof is `unsat`.
; expect: unsat
; messageInfo.length.independent
(set-info :status unknown)
(set-logic QF_BV)
(declare-fun value () (_ BitVec 64))
(declare-fun word () (_ BitVec 64))
(assert
 (let ((?x10 (bvand value (_ bv127 64))))
 (let ((?x37 (bvand (bvlshr (bvor (bvand word (_ bv18446744073709551488 64)) (bvshl ?x10 (_ bv0 64))) (_ bv0 64)) (_ bv127 64))))
 (let ((?x31 (bvand (bvlshr (bvor (bvand word (_ bv18446744073709551488 64)) (bvshl ?x10 (_ bv0 64))) (_ bv7 64)) (_ bv3 64))))
 (let ((?x24 (bvand (bvlshr (bvor (bvand word (_ bv18446744073709551488 64)) (bvshl ?x10 (_ bv0 64))) (_ bv9 64)) (_ bv7 64))))
 (let ((?x17 (bvand (bvlshr (bvor (bvand word (_ bv18446744073709551488 64)) (bvshl ?x10 (_ bv0 64))) (_ bv12 64)) (_ bv4503599627370495 64))))
 (let (($x28 (and (= ?x17 (bvand (bvlshr word (_ bv12 64)) (_ bv4503599627370495 64))) (= ?x24 (bvand (bvlshr word (_ bv9 64)) (_ bv7 64))))))
 (let (($x39 (and (and $x28 (= ?x31 (bvand (bvlshr word (_ bv7 64)) (_ bv3 64)))) (= ?x37 ?x10))))
 (not $x39)))))))))
(check-sat)
