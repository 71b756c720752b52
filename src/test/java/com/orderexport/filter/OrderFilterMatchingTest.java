package com.orderexport.filter;

import static org.assertj.core.api.Assertions.assertThat;

import com.orderexport.orders.Order;
import com.orderexport.testing.Orders;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Every attribute with every operator the filter table allows, against {@link Orders#FULL}. */
class OrderFilterMatchingTest {

    /** Terms that hold for {@link Orders#FULL}; string values deliberately differ from it in case. */
    static Stream<String> termsMatchingTheFullOrder() {
        return Stream.of(
                "eq(status,complete)", "eq(status,COMPLETE)", "in(status,processing,Complete)",
                "eq(payment,paid)", "in(payment,unpaid,PAID)",
                "eq(shipping,Fulfilled)", "in(shipping,fulfilled)",
                "eq(currency,usd)", "in(currency,EUR,USD)",
                "eq(name,ada lovelace)", "like(name,ADA*)", "like(name,*lovelace)", "like(name,*LOVE*)",
                "like(name,*)", "like(name,**)", "like(name,Ada Lovelace)", "in(name,Grace Hopper,ada LOVELACE)",
                "eq(email,ada@example.com)", "like(email,*@EXAMPLE.com)", "in(email,ADA@example.com)",
                "eq(customer_id,CUST-7)", "like(customer_id,cust-*)", "in(customer_id,cust-1,cust-7)",
                "eq(account_id,acct-3)", "like(account_id,*-3)", "in(account_id,ACCT-3,acct-4)",
                "eq(account_member_id,member-9)", "like(account_member_id,*MEM*)", "in(account_member_id,member-9)",
                "eq(contact.name,charles babbage)", "like(contact.name,charles*)", "in(contact.name,Charles Babbage)",
                "eq(contact.email,Charles@Engine.org)", "like(contact.email,*@engine.org)",
                "in(contact.email,x@y.z,charles@engine.org)",
                "eq(shipping_postcode,sw1a 1aa)", "like(shipping_postcode,SW1A*)", "in(shipping_postcode,SW1A 1AA)",
                "eq(billing_postcode,ec1a 1bb)", "like(billing_postcode,*1bb)", "in(billing_postcode,N1,EC1A 1BB)",
                "eq(external_ref,ext-42)", "like(external_ref,EXT*)", "in(external_ref,ext-41,ext-42)",
                "eq(order_number,1001)", "like(order_number,10*)", "in(order_number,999,1001)",
                "eq(with_tax,12000)", "gt(with_tax,11999)", "ge(with_tax,12000)", "lt(with_tax,12001)",
                "le(with_tax,12000)",
                "eq(without_tax,10000)", "gt(without_tax,-1)", "ge(without_tax,10000)", "lt(without_tax,10001)",
                "le(without_tax,10000)",
                "eq(product_id,PROD-B)", "in(product_id,prod-z,prod-a)",
                "eq(product_sku,sku-red)", "in(product_sku,SKU-BLUE)",
                "eq(updated_at,2024-03-16)", "gt(updated_at,2024-03-15)", "ge(updated_at,1710576000000)",
                "lt(updated_at,2024-03-17)", "le(updated_at,1710576000000)");
    }

    @ParameterizedTest
    @MethodSource("termsMatchingTheFullOrder")
    void test_matchesAnOrderThatSatisfiesTheTerm(String filter) throws InvalidFilterException {
        assertThat(OrderFilter.parse(filter).test(Orders.FULL)).isTrue();
    }

    @ParameterizedTest
    @MethodSource("termsMatchingTheFullOrder")
    void test_neverMatchesAnOrderLackingTheAttribute(String filter) throws InvalidFilterException {
        assertThat(OrderFilter.parse(filter).test(Orders.BARE)).isFalse();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            eq(status,processing)
            eq(status,comp)
            in(status,processing,cancelled)
            eq(payment,unpaid)
            in(payment,unpaid,refunded)
            eq(shipping,unfulfilled)
            in(shipping,unfulfilled)
            eq(currency,EUR)
            in(currency,EUR,GBP)
            eq(name,Ada)
            like(name,lovelace*)
            like(name,*ada)
            like(name,*grace*)
            like(name,Ada)
            in(name,Grace Hopper,Ada)
            eq(email,ada@example.org)
            like(email,*@example.org)
            in(email,ada@example)
            eq(customer_id,cust-8)
            like(customer_id,*-8)
            in(customer_id,cust-1,cust-2)
            eq(account_id,acct-33)
            like(account_id,acct-33*)
            in(account_id,acct-4)
            eq(account_member_id,member)
            like(account_member_id,*x*)
            in(account_member_id,member-1)
            eq(contact.name,Ada Lovelace)
            like(contact.name,*ada*)
            in(contact.name,Babbage)
            eq(contact.email,ada@example.com)
            like(contact.email,engine*)
            in(contact.email,engine.org)
            eq(shipping_postcode,EC1A 1BB)
            like(shipping_postcode,EC1A*)
            in(shipping_postcode,SW1A)
            eq(billing_postcode,SW1A 1AA)
            like(billing_postcode,*1AA)
            in(billing_postcode,EC1A)
            eq(external_ref,EXT-4)
            like(external_ref,*4)
            in(external_ref,42)
            eq(order_number,100)
            like(order_number,*2)
            in(order_number,1002,1003)
            eq(with_tax,12001)
            gt(with_tax,12000)
            ge(with_tax,12001)
            lt(with_tax,12000)
            le(with_tax,11999)
            eq(without_tax,12000)
            gt(without_tax,10000)
            ge(without_tax,10001)
            lt(without_tax,10000)
            le(without_tax,9999)
            eq(product_id,prod)
            in(product_id,prod-c,prod-d)
            eq(product_sku,SKU-GREEN)
            in(product_sku,RED,BLUE)
            eq(created_at,2024-03-14)
            gt(created_at,2024-03-16)
            ge(created_at,1710498600001)
            lt(created_at,2024-03-15)
            le(created_at,1710498599999)
            eq(updated_at,2024-03-15)
            gt(updated_at,1710576000000)
            lt(updated_at,1710576000000)
            """)
    void test_rejectsAnOrderThatDoesNotSatisfyTheTerm(String filter) throws InvalidFilterException {
        assertThat(OrderFilter.parse(filter).test(Orders.FULL)).isFalse();
    }

    @Test
    void test_andsAllTerms() throws InvalidFilterException {
        assertThat(OrderFilter.parse("eq(status,complete):eq(payment,paid):gt(with_tax,0)").test(Orders.FULL))
                .isTrue();
        assertThat(OrderFilter.parse("eq(status,complete):eq(payment,unpaid):gt(with_tax,0)").test(Orders.FULL))
                .isFalse();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            lt(with_tax,0)    | -500 | true
            lt(with_tax,-500) | -500 | false
            le(with_tax,-500) | -500 | true
            eq(with_tax,-500) | -500 | true
            gt(with_tax,-501) | -500 | true
            ge(with_tax,0)    | 0    | true
            gt(with_tax,0)    | 0    | false
            """)
    void test_comparesNegativeAndZeroAmounts(String filter, long amount, boolean matches) throws InvalidFilterException {
        assertThat(OrderFilter.parse(filter).test(Orders.withTax(amount))).isEqualTo(matches);
    }

    @Test
    void test_matchesProductsOnlyByItemsThatHaveTheValue() throws InvalidFilterException {
        Order itemWithoutSku = Orders.fromJson("""
                {"data": {"id": "o", "meta": {"timestamps": {"created_at": "2024-01-01T00:00:00Z"}}},
                 "included": {"items": [{"id": "i1", "product_id": "p1"}, {"id": "i2", "sku": "s2"}]}}
                """);
        assertThat(OrderFilter.parse("eq(product_sku,s2)").test(itemWithoutSku)).isTrue();
        assertThat(OrderFilter.parse("eq(product_sku,p1)").test(itemWithoutSku)).isFalse();
        assertThat(OrderFilter.parse("in(product_id,s2,p1)").test(itemWithoutSku)).isTrue();
    }

    @Test
    void test_likeWithOnlyAWildcardNeedsAPresentValue() throws InvalidFilterException {
        OrderFilter anyName = OrderFilter.parse("like(name,*)");
        assertThat(anyName.test(Orders.FULL)).isTrue();
        assertThat(anyName.test(Orders.BARE)).isFalse();
    }

    @Test
    void test_comparesCaseInsensitivelyBeyondAscii() throws InvalidFilterException {
        Order order = Orders.fromJson("""
                {"data": {"id": "o", "customer": {"name": "ÉLODIE Ørsted"},
                 "meta": {"timestamps": {"created_at": "2024-01-01T00:00:00Z"}}}}
                """);
        assertThat(OrderFilter.parse("eq(name,élodie ørsted)").test(order)).isTrue();
        assertThat(OrderFilter.parse("like(name,*ØRSTED)").test(order)).isTrue();
    }
}
