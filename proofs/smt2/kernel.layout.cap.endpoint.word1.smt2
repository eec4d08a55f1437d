; obligation: kernel.layout.cap.endpoint.word1
; statement: endpoint_cap[1]: every field round-trips and no two fields share a bit
; hypotheses and the negated goal: a proof is `unsat`.
; expect: unsat
; kernel.layout.cap.endpoint.word1
(set-info :status unknown)
(set-logic QF_BV)
(declare-fun capBadge () (_ BitVec 64))
(declare-fun word () (_ BitVec 64))
(assert
 (let ((?x10 (bvand capBadge (_ bv18446744073709551615 64))))
 (let ((?x16 (bvand (bvlshr (bvor (bvand word (_ bv0 64)) (bvshl ?x10 (_ bv0 64))) (_ bv0 64)) (_ bv18446744073709551615 64))))
 (let ((?x8 (bvand word (_ bv0 64))))
 (let (($x18 (and (= (bvand (bvor ?x8 (bvshl ?x10 (_ bv0 64))) (_ bv0 64)) ?x8) (= ?x16 ?x10))))
 (not $x18))))))
(check-sat)
