"""An expired qualification stops counting on its date, without anyone acting."""

import datetime as dt

import pytest
from django.utils import timezone

from providers import selectors
from providers.models import Qualification
from tests.factories.providers import QualificationFactory, qualification_type

pytestmark = pytest.mark.django_db


def test_valid_until_yesterday_does_not_count(agency):
    today = timezone.localdate()
    qualification = QualificationFactory(agency=agency, valid_until=today - dt.timedelta(days=1),
                                         status=Qualification.Status.VERIFIED)

    assert not qualification.counts_on(today)
    assert qualification.is_expired(today)
    assert not selectors.counting_qualifications(agency).exists()
    assert selectors.held_qualification_type_ids(agency) == set()
    assert selectors.public_qualifications(agency).count() == 0


def test_valid_until_today_still_counts(agency):
    today = timezone.localdate()
    qualification = QualificationFactory(agency=agency, valid_until=today)

    assert qualification.counts_on(today)
    assert list(selectors.counting_qualifications(agency)) == [qualification]
    assert selectors.held_qualification_type_ids(agency) == {qualification_type("EIA").pk}


def test_it_stops_counting_the_day_after_without_any_task(agency):
    today = timezone.localdate()
    QualificationFactory(agency=agency, valid_until=today)
    tomorrow = today + dt.timedelta(days=1)
    assert selectors.held_qualification_type_ids(agency, day=today)
    assert not selectors.held_qualification_type_ids(agency, day=tomorrow)


def test_rejected_qualifications_never_count(agency):
    qualification = QualificationFactory(agency=agency, status=Qualification.Status.REJECTED)
    assert not qualification.counts_on()
    assert not selectors.counting_qualifications(agency).exists()


def test_an_expired_verified_qualification_no_longer_makes_the_agency_verified(agency):
    today = timezone.localdate()
    QualificationFactory(agency=agency, status=Qualification.Status.VERIFIED,
                         valid_until=today - dt.timedelta(days=1))
    row = selectors.directory_queryset().get(pk=agency.pk)
    assert row.verified is False
    QualificationFactory(agency=agency, status=Qualification.Status.VERIFIED, valid_until=today)
    assert selectors.directory_queryset().get(pk=agency.pk).verified is True
