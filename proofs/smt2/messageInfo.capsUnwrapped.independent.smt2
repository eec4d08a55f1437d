; obligation: messageInfo.capsUnwrapped.independent
; statement: writing capsUnwrapped into any message-info word leaves every other field's bits unchanged
; hypotheses and the negated goal: a proof is `unsat`.
; expect: unsat
; messageInfo.capsUnwrapped.independent
(set-info :status unknown)
(set-logic QF_BV)
(declare-fun value () (_ BitVec 64))
(declare-fun word () (_ BitVec 64))
(assert
 (let ((?x0 (bvand value (_ bv7 64))))
 (let ((?x1 (bvand (bvlshr (bvor (bvand word (_ bv18446744073709548031 64)) (bvshl ?x0 (_ bv9 64))) (_ bv9 64)) (_ bv7 64))))
 (let ((?x2 (bvand (bvlshr (bvor (bvand word (_ bv18446744073709548031 64)) (bvshl ?x0 (_ bv9 64))) (_ bv0 64)) (_ bv127 64))))
 (let ((?x3 (bvand (bvlshr (bvor (bvand word (_ bv18446744073709548031 64)) (bvshl ?x0 (_ bv9 64))) (_ bv7 64)) (_ bv3 64))))
 (let ((?x4 (bvand (bvlshr (bvor (bvand word (_ bv18446744073709548031 64)) (bvshl ?x0 (_ bv9 64))) (_ bv12 64)) (_ bv4503599627370495 64))))
 (let (($x5 (and (= ?x4 (bvand (bvlshr word (_ bv12 64)) (_ bv4503599627370495 64))) (= ?x3 (bvand (bvlshr word (_ bv7 64)) (_ bv3 64))))))
 (let (($x6 (and (and $x5 (= ?x2 (bvand (bvlshr word (_ bv0 64)) (_ bv127 64)))) (= ?x1 ?x0))))
 (not $x6)))))))))
(check-sat)
