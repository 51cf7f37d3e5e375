"""ManageEngine MDM: the profiles and apps associated with a device (a part of the ManageEngine dialect).

Source: manageengine-mdm-devices-api.txt, "Get device profiles" (GET /api/v1/mdm/devices/{device_id}/profiles, reply
{"profiles": [...]} with the record fields below), "Associate profiles to devices" / "Disassociate Profiles To Device"
(POST / DELETE on that path, {"profile_ids": [...]}, 204), "Get device app list" (GET .../apps, reply
{"installed_apps": [...], "release_label_details": {...}, "apps": [...]}), "Associate apps to device" (POST .../apps,
{"id", "app_details": [{"app_id", "release_label_id"}], "silent_install", "notify_user_via_email", "invite_user",
"do_not_uninstall"}, 204) and "Dissociate apps from devices" (DELETE .../apps, {"app_ids": [...]}, 204).

UNVERIFIED, one place each: the catalogue of profiles and apps (the reference documents none: the simulator holds a
fixed one, with the reference's sample profile 12354 and app 9007199254740996); that every device starts with one
profile and one app associated; that both app lists of the reply list the associated apps (the device reports them
installed at once); the 400 for an unknown id or a bad body and the 404 for an unknown device (bodies shaped like
the dialect's other errors); that associating what is already associated, or dissociating what is not, is a 204 that
changes nothing.
"""

from mdmsim.dialects.base import Part, Response, json_response

RELEASE_LABEL = {'release_label_name': 'Production', 'release_label_id': 90086789628394940}
PROFILES = {
    12354: {'profile_name': 'Test Profile', 'profile_description': 'Test Profile', 'platform_type': 'android'},
    12355: {'profile_name': 'Corporate Wi-Fi', 'profile_description': 'Wi-Fi for the offices', 'platform_type': 'android'},
    12356: {'profile_name': 'VPN', 'profile_description': 'Always-on VPN', 'platform_type': 'ios'},
    12357: {'profile_name': 'Passcode Policy', 'profile_description': 'Six digits, 5 minutes', 'platform_type': 'windows'},
}
APPS = {
    9007199254740996: {'app_name': 'Red Ball 4 (Ad Supported)', 'identifier': 'com.google.android.apps.googleassistant',
                       'app_version': '0.1.187945513', 'app_version_code': 187945513, 'platform_type': 'android'},
    9007199254740997: {'app_name': 'Company Portal', 'identifier': 'com.fleetops.portal', 'app_version': '2.4.1',
                       'app_version_code': 241, 'platform_type': 'android'},
    9007199254740998: {'app_name': 'Legacy Mail', 'identifier': 'com.fleetops.mail', 'app_version': '1.0',
                       'app_version_code': 10, 'platform_type': 'android'},
    9007199254740999: {'app_name': 'Field Notes', 'identifier': 'com.fleetops.notes', 'app_version': '3.2',
                       'app_version_code': 32, 'platform_type': 'android'},
}
INITIAL_PROFILES = (12355,)
INITIAL_APPS = (9007199254740997,)
APP_OPTIONS = ('silent_install', 'notify_user_via_email', 'invite_user', 'do_not_uninstall')
ASSOCIATED_TIME = 1522066653883


def _bad(description):
    return json_response(400, {'error_code': 'COM0005', 'error_description': description}, authenticated=True)


def _ids(body, key):
    """The list of integer ids under ``key`` of a JSON body, or None when it is not one."""
    values = body.get(key) if isinstance(body, dict) else None
    if not isinstance(values, list) or not values:
        return None
    ids = []
    for value in values:
        if isinstance(value, bool) or not isinstance(value, int):
            return None
        ids.append(value)
    return ids


class Assignments(Part):
    """Handlers of the device profile and app routes of the ManageEngine dialect."""

    def __init__(self, dialect):
        super().__init__(dialect)
        # {device id: {'profiles': {id: associated_on}, 'apps': {id: {...options}}}}; guarded by the state lock.
        self.assignments = {}

    def assigned(self, device_id):
        """The assignments of one device, with the initial ones on first sight.  Call with the state lock held."""
        store = self.assignments
        if device_id not in store:
            store[device_id] = {'profiles': dict((pid, ASSOCIATED_TIME) for pid in INITIAL_PROFILES),
                                'apps': dict((aid, {'release_label_id': RELEASE_LABEL['release_label_id']}) for aid in INITIAL_APPS)}
        return store[device_id]

    def handle(self, request):
        """GET, POST or DELETE of /api/v1/mdm/devices/{device_id}/profiles or /apps (the route's fixed ``kind``)."""
        device_id, kind = request.params['device_id'], request.params['kind']
        with self.state.lock:
            if self.dialect.find(device_id) is None:
                return json_response(404, {'error_code': 'COM0008', 'error_description': 'Device not found'}, authenticated=True)
            current = self.assigned(device_id)
            if request.method == 'GET':
                return json_response(200, self.profile_list(current) if kind == 'profiles' else self.app_list(current),
                                     authenticated=True)
            body = self.dialect.read_json(request)
            if kind == 'profiles':
                return self.change_profiles(request.method, device_id, current, body)
            return self.change_apps(request.method, device_id, current, body)

    @staticmethod
    def profile_list(current):
        profiles = []
        for profile_id in sorted(current['profiles']):
            profile = PROFILES[profile_id]
            profiles.append({'profile_id': profile_id, 'profile_name': profile['profile_name'], 'status': 'SCHEDULED',
                             'remarks': '', 'localized_remarks': 'Applied', 'profile_description': profile['profile_description'],
                             'applied_time': current['profiles'][profile_id], 'group_count': 0, 'device_count': 1,
                             'created_user': 'admin', 'created_time': 1522066653883, 'last_modified_user': 'admin',
                             'last_modified_time': 1522066653883, 'platform_type': profile['platform_type']})
        return {'profiles': profiles}

    @staticmethod
    def app_list(current):
        installed, apps = [], []
        for app_id in sorted(current['apps']):
            app = APPS[app_id]
            installed.append({'release_label_details': dict(RELEASE_LABEL), 'app_version': app['app_version'],
                              'platform_type': app['platform_type'], 'identifier': app['identifier'], 'app_name': app['app_name'],
                              'app_id': app_id, 'app_version_code': app['app_version_code']})
            apps.append({'app_version': app['app_version'], 'app_version_code': app['app_version_code'],
                         'platform_type': app['platform_type'], 'identifier': app['identifier'], 'app_name': app['app_name'],
                         'app_id': app_id, 'added_time': 1523370360750, 'modified_time': 1523370360750, 'platform': 2,
                         'icon': 'https://zylker.com/icon.png'})
        return {'installed_apps': installed, 'release_label_details': dict(RELEASE_LABEL), 'apps': apps}

    def change_profiles(self, method, device_id, current, body):
        ids = _ids(body, 'profile_ids')
        if ids is None:
            return _bad('profile_ids is required')
        unknown = [profile_id for profile_id in ids if profile_id not in PROFILES]
        if unknown:
            return _bad('Invalid profile_ids: %s' % ', '.join(str(profile_id) for profile_id in unknown))
        if method == 'POST':
            for profile_id in ids:
                current['profiles'].setdefault(profile_id, ASSOCIATED_TIME)
            action = 'associate_profiles'
        else:
            for profile_id in ids:
                current['profiles'].pop(profile_id, None)
            action = 'dissociate_profiles'
        self.state.record_action(self.name, action, device_id, ids=[str(profile_id) for profile_id in ids])
        return Response(204, b'', authenticated=True)

    def change_apps(self, method, device_id, current, body):
        if method == 'DELETE':
            ids = _ids(body, 'app_ids')
            if ids is None:
                return _bad('app_ids is required')
        else:
            details = body.get('app_details') if isinstance(body, dict) else None
            if not isinstance(details, list) or not details or not all(isinstance(item, dict) for item in details):
                return _bad('app_details is required')
            ids = _ids({'ids': [item.get('app_id') for item in details]}, 'ids')
            if ids is None:
                return _bad('app_details[].app_id must be a number')
            if 'id' in body and str(body['id']) != device_id:
                return _bad('id does not match the device of the request')
            bad_options = [key for key in APP_OPTIONS if key in body and not isinstance(body[key], bool)]
            if bad_options:
                return _bad('Invalid value for %s' % ', '.join(bad_options))
        unknown = [app_id for app_id in ids if app_id not in APPS]
        if unknown:
            return _bad('Invalid app ids: %s' % ', '.join(str(app_id) for app_id in unknown))
        if method == 'POST':
            options = dict((key, body[key]) for key in APP_OPTIONS if key in body)
            for item in details:
                current['apps'].setdefault(item['app_id'], dict(options, release_label_id=item.get('release_label_id')))
            self.state.record_action(self.name, 'associate_apps', device_id, ids=[str(app_id) for app_id in ids], options=options,
                                     release_label_ids=[item.get('release_label_id') for item in details])
        else:
            for app_id in ids:
                current['apps'].pop(app_id, None)
            self.state.record_action(self.name, 'dissociate_apps', device_id, ids=[str(app_id) for app_id in ids])
        return Response(204, b'', authenticated=True)

    # -- admin API ---------------------------------------------------------------------------------------------
    def admin_routes(self):
        def device_assignments(_vendor, query, _body):
            device_id = str(query['device_id'])
            with self.state.lock:
                if self.dialect.find(device_id) is None:
                    raise ValueError('no device %s' % device_id)
                current = self.assigned(device_id)
                return 200, {'profiles': sorted(str(pid) for pid in current['profiles']),
                             'apps': dict((str(aid), dict(options)) for aid, options in current['apps'].items())}

        return {('GET', '/manageengine/assignments'): device_assignments}
